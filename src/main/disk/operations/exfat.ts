/**
 * exFAT through mkfs.exfat (exfatprogs), which formats a file or device but not a region
 * of one: it formats a sparse scratch file the size of the partition, and its metadata
 * (boot regions, FAT, allocation bitmap, up-case table, root directory) is copied into
 * the partition. Those all lie before the end of the last of the three root structures;
 * the cluster heap after them is free space, which exFAT finds through the bitmap, so it
 * need not be copied (or even zeroed).
 */
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { OperationContext } from '../../jobs/operation-context'
import { runTool } from '../../platform/run-tool'
import { which } from '../../platform/which'
import { FileReader, readExactly } from '../../io/random-access'
import type { ByteTarget } from '../byte-target'

const COPY_CHUNK = 4 * 1024 * 1024
const ENTRY_BITMAP = 0x81
const ENTRY_UPCASE = 0x82

/** exFAT labels are at most 11 UTF-16 characters. */
export function checkExfatLabel(label: string): void {
  if (label.length > 11) throw new AppError('VALIDATION', `Volume label "${label}" is too long for exFAT (at most 11 characters)`, { field: 'label', label })
}

export function findMkfsExfat(lookup: (command: string) => string | null = which): string {
  const path = lookup('mkfs.exfat')
  if (!path) {
    throw new AppError('TOOL_MISSING', 'Formatting exFAT needs mkfs.exfat: install the exfatprogs package (apt install exfatprogs), or restore as FAT32', {
      tool: 'mkfs.exfat',
      package: 'exfatprogs',
    })
  }
  return path
}

/** Where exFAT metadata ends in a freshly formatted volume: after the root directory, bitmap and up-case table. */
export async function exfatMetadataEnd(volume: FileReader): Promise<number> {
  const boot = await readExactly(volume, 0, 512, 'exFAT boot sector')
  const view = new DataView(boot.buffer, boot.byteOffset, boot.byteLength)
  if (new TextDecoder().decode(boot.subarray(3, 11)) !== 'EXFAT   ') throw new AppError('CORRUPT', `${volume.name}: mkfs.exfat wrote no exFAT boot sector`, { path: volume.name })
  const sectorSize = 2 ** boot[108]!
  const clusterSize = sectorSize * 2 ** boot[109]!
  const heap = view.getUint32(88, true) * sectorSize
  const rootCluster = view.getUint32(96, true)
  const clusterEnd = (first: number, bytes: number) => heap + (first - 2) * clusterSize + Math.ceil(bytes / clusterSize) * clusterSize
  let end = clusterEnd(rootCluster, clusterSize)
  const root = await readExactly(volume, clusterEnd(rootCluster, 0), clusterSize, 'exFAT root directory')
  const rootView = new DataView(root.buffer, root.byteOffset, root.byteLength)
  for (let at = 0; at < root.length && root[at] !== 0; at += 32) {
    if (root[at] === ENTRY_BITMAP || root[at] === ENTRY_UPCASE) {
      end = Math.max(end, clusterEnd(rootView.getUint32(at + 20, true), Number(rootView.getBigUint64(at + 24, true))))
    }
  }
  return end
}

export interface ExfatVolume {
  /** The formatted scratch volume. */
  readonly reader: FileReader
  /** Bytes from its start that hold metadata: what is copied. */
  readonly metadataBytes: number
  dispose(): Promise<void>
}

/** Formats a scratch volume of the partition's size before anything touches the drive, so a failing mkfs leaves it as it was. */
export async function makeExfatVolume(sizeBytes: number, label: string, signal: AbortSignal, mkfs = findMkfsExfat()): Promise<ExfatVolume> {
  checkExfatLabel(label)
  const dir = await mkdtemp(join(tmpdir(), 'imaging-exfat-'))
  const dispose = () => rm(dir, { recursive: true, force: true })
  try {
    const scratch = join(dir, 'volume.img')
    const handle = await open(scratch, 'w')
    await handle.truncate(sizeBytes)
    await handle.close()
    const result = await runTool(mkfs, ['-L', label, scratch], { timeoutMs: 300_000, signal })
    if (result.exitCode !== 0) throw new AppError('IO', `mkfs.exfat failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim()}`, { tool: 'mkfs.exfat' })
    const reader = await FileReader.open(scratch)
    try {
      return { reader, metadataBytes: await exfatMetadataEnd(reader), dispose: () => reader.close().then(dispose) }
    } catch (error) {
      await reader.close()
      throw error
    }
  } catch (error) {
    await dispose()
    throw error
  }
}

/** Copies the metadata into the partition, the first chunk (with the boot sector) last: an interrupted copy leaves no volume. */
export async function copyExfatVolume(target: ByteTarget, offset: number, volume: ExfatVolume, ctx: Pick<OperationContext, 'signal' | 'advance'>): Promise<void> {
  const starts: number[] = []
  for (let at = COPY_CHUNK; at < volume.metadataBytes; at += COPY_CHUNK) starts.push(at)
  starts.push(0)
  for (const at of starts) {
    if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled')
    const chunk = await readExactly(volume.reader, at, Math.min(COPY_CHUNK, volume.metadataBytes - at), 'exFAT metadata')
    await target.write(chunk, offset + at)
    ctx.advance(chunk.length)
  }
}
