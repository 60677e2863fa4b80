/**
 * Write a planned FAT32 volume in one pass in increasing offset order: reserved sectors,
 * both FATs (generated piece by piece), directories, then each file streamed from its
 * source. The reserved sectors go first, on their own, with both boot sectors zero; the
 * boot sectors are written last, once everything else is durable. So from the first write
 * on, an interrupted write leaves no boot sector, and nothing takes the region for a
 * volume, even where one was before.
 */
import { AppError } from '../../../shared/errors'
import type { ByteTarget } from '../../disk/byte-target'
import { SequentialWriter, throwIfAborted } from '../../io/sequential-writer'
import { encodeBootSector } from './boot-sector'
import { encodeDirectory } from './directory'
import { fillFat } from './fat'
import { encodeFsInfo } from './fsinfo'
import { BACKUP_BOOT_SECTOR, FAT_COUNT, FAT_ENTRY_SIZE, FSINFO_SECTOR, RESERVED_SECTORS, SECTOR_SIZE } from './geometry'
import { directoryRecords, type Fat32Plan } from './planner'
import { ReadAhead, type StartedContents } from './read-ahead'
import type { PlannedFile, PositionalContents } from './tree'

export interface WriteFat32Options {
  onProgress?: (done: number, total: number) => void
  signal?: AbortSignal
}

export async function writeFat32(target: ByteTarget, offset: number, plan: Fat32Plan, options: WriteFat32Options = {}): Promise<void> {
  const volumeBytes = plan.geometry.totalSectors * SECTOR_SIZE
  if (!Number.isSafeInteger(offset) || offset < 0 || offset % SECTOR_SIZE !== 0 || offset + volumeBytes > target.size) {
    throw new AppError('VALIDATION', `A ${volumeBytes}-byte volume at byte ${offset} does not fit in ${target.name} (${target.size} bytes) on a sector boundary`, {
      path: target.name,
      offset,
      size: volumeBytes,
    })
  }
  const { clusterSize, fatBytes, fatOffset } = plan.geometry
  await target.write(reservedSectors(plan), offset)
  const out = new SequentialWriter(target, offset + fatOffset, {
    signal: options.signal,
    onProgress: (done) => options.onProgress?.(fatOffset + done, plan.bytesToWrite),
  })
  const readAhead = new ReadAhead(plan.files)
  try {
    for (let copy = 0; copy < FAT_COUNT; copy++) await out.fill(fatBytes, (chunk, at) => fillFat(chunk, at / FAT_ENTRY_SIZE, plan.chains))
    for (const directory of plan.directories) {
      await out.bytes(encodeDirectory(directoryRecords(directory, plan.label, plan.labelTime), directory.clusterCount * clusterSize))
    }
    for (const [index, file] of plan.files.entries()) await copyContents(out, file, readAhead.take(index), clusterSize)
    await out.close()
  } catch (error) {
    await Promise.all([out.settle(), readAhead.close()])
    throw error
  }
  throwIfAborted(options.signal)
  await target.flush()
  const bootSector = encodeBootSector(plan.bootSector)
  await target.write(bootSector, offset + BACKUP_BOOT_SECTOR * SECTOR_SIZE)
  await target.write(bootSector, offset)
  await target.flush()
}

/** The reserved sectors with FSInfo and its backup, and zeros where both boot sectors go. */
function reservedSectors(plan: Fat32Plan): Uint8Array {
  const bytes = new Uint8Array(RESERVED_SECTORS * SECTOR_SIZE)
  const fsInfo = encodeFsInfo(plan.fsInfo)
  bytes.set(fsInfo, FSINFO_SECTOR * SECTOR_SIZE)
  bytes.set(fsInfo, (BACKUP_BOOT_SECTOR + FSINFO_SECTOR) * SECTOR_SIZE)
  return bytes
}

async function copyContents(out: SequentialWriter, file: PlannedFile, contents: StartedContents, clusterSize: number): Promise<void> {
  if (contents.kind === 'positional') await readInto(out, file, await contents.file)
  else await copyChunks(out, file, contents.chunks)
  // The rest of the last cluster: zeros, not whatever the target held.
  await out.zeros(file.clusterCount * clusterSize - file.size)
}

async function copyChunks(out: SequentialWriter, file: PlannedFile, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  let copied = 0
  for await (const chunk of chunks) {
    if (copied + chunk.length > file.size) throw sizeChanged(file, `more than ${file.size}`)
    await out.bytes(chunk)
    copied += chunk.length
  }
  if (copied !== file.size) throw sizeChanged(file, String(copied))
}

async function readInto(out: SequentialWriter, file: PlannedFile, source: PositionalContents): Promise<void> {
  try {
    if (source.size !== file.size) throw sizeChanged(file, String(source.size))
    await out.fillFrom(file.size, async (chunk, at) => {
      const got = await source.read(chunk, at)
      if (got !== chunk.length) throw sizeChanged(file, String(at + got))
    })
  } finally {
    await source.close()
  }
}

function sizeChanged(file: PlannedFile, read: string): AppError {
  return new AppError('IO', `"${file.path}" gave ${read} bytes, not the ${file.size} planned: did the source change?`, { path: file.path, size: file.size })
}
