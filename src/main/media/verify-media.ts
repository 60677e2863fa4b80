import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import type { ByteTarget } from '../disk/byte-target'
import { MAX_EXTENT_BYTES, openFat32, type Fat32Entry, type Fat32Volume, type PositionalContents } from '../fs/fat32'
import { alignedBytes } from '../io/aligned'
import { DIRECT_ALIGNMENT } from '../io/direct-io'
import type { OperationContext } from '../jobs/operation-context'
import type { MediaFile } from './media-files'

async function* walkFiles(volume: Fat32Volume, path = ''): AsyncGenerator<Fat32Entry> {
  for (const entry of await volume.list(path)) {
    if (entry.kind === 'directory') yield* walkFiles(volume, entry.path)
    else yield entry
  }
}

function mismatch(target: ByteTarget, message: string, path: string): AppError {
  return new AppError('IO', `The medium on ${target.name} does not read back as written: ${message}. Do not use it; make it again (and try another stick if it happens twice).`, { path })
}

type Progress = Pick<OperationContext, 'signal' | 'advance'>

/**
 * Reads the medium back through its file system, as a PC will: every file must be there,
 * nothing else, each byte for byte the same as its source, read again beside it (as cmp
 * does). This checks the data and the FAT32 structures that lead to it in one pass, catches
 * a stick that stores less than it claims (its late writes land on its early ones), and a
 * source that did not read the same twice. Each extent of a file is read from the medium and
 * from the source at once, into reused page-aligned buffers (see io/aligned.ts), the next
 * extent's reads under way while one is compared; the medium by whole 4 KiB pages, so its
 * reads bypass the page cache where they can and check what the disk holds.
 */
export async function verifyMedia(target: ByteTarget, volumeOffset: number, files: readonly MediaFile[], ctx: Pick<OperationContext, 'signal' | 'setTotal' | 'advance'>): Promise<string> {
  const expected = new Map(files.map((f) => [f.path, f]))
  const volume = await openFat32(target, volumeOffset)
  ctx.setTotal(files.reduce((sum, f) => sum + f.size, 0))
  // Two slots, one being compared while the other is read; a medium side has room for an extent widened to whole pages.
  const mediumBytes = MAX_EXTENT_BYTES + DIRECT_ALIGNMENT
  const slotBytes = mediumBytes + MAX_EXTENT_BYTES
  const buffers = alignedBytes(2 * slotBytes)
  const slots = [0, 1].map((i) => ({ medium: buffers.subarray(i * slotBytes, i * slotBytes + mediumBytes), source: buffers.subarray(i * slotBytes + mediumBytes, (i + 1) * slotBytes) }))
  let count = 0
  let bytes = 0
  for await (const entry of walkFiles(volume)) {
    const file = expected.get(entry.path)
    if (!file) throw mismatch(target, `it holds ${entry.path}, which was not written`, entry.path)
    expected.delete(entry.path)
    if (entry.size !== file.size) throw mismatch(target, `${entry.path} has ${entry.size} bytes instead of ${file.size}`, entry.path)
    const source = await file.open()
    try {
      await compareWithSource(target, volume, entry, source, file, slots, ctx)
    } finally {
      await source.close()
    }
    count++
    bytes += file.size
  }
  const missing = [...expected.keys()]
  if (missing.length > 0) throw mismatch(target, `${missing.length} file${missing.length === 1 ? ' is' : 's are'} missing (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`, missing[0]!)
  return `Read back ${count} files (${formatBytes(bytes)}) through the FAT32 file system: each identical to its source`
}

type Slot = { medium: Uint8Array; source: Uint8Array }

/**
 * The file's extents on the medium against the same bytes of its source, both read at once,
 * the next extent read into the other slot while one is compared.
 */
async function compareWithSource(
  target: ByteTarget,
  volume: Fat32Volume,
  entry: Fat32Entry,
  source: PositionalContents,
  file: MediaFile,
  slots: Slot[],
  ctx: Progress,
): Promise<void> {
  const read = async (extent: { offset: number; length: number }, slot: Slot, position: number) => {
    const wanted = slot.source.subarray(0, extent.length)
    const [medium, gotSource] = await Promise.all([readPages(target, slot.medium, extent.offset, extent.length), source.read(wanted, position)])
    if (medium.length !== extent.length) throw mismatch(target, `it ended at byte ${extent.offset + medium.length}, inside ${file.path}`, file.path)
    if (gotSource !== extent.length) throw new AppError('IO', `${file.path} ended at byte ${position + gotSource} of its source, before its ${file.size} bytes: did the source change?`, { path: file.path })
    return { medium, wanted, position }
  }
  const extents = volume.extents(entry)[Symbol.asyncIterator]()
  let position = 0
  let turn = 0
  const start = async () => {
    const next = await extents.next()
    if (next.done) return null
    const reading = read(next.value, slots[turn++ % 2]!, position)
    // Awaited in its turn; until then a failure must not count as unhandled.
    reading.catch(() => undefined)
    position += next.value.length
    return reading
  }
  for (let pending = await start(); pending; ) {
    ctx.signal.throwIfAborted()
    const current = await pending
    pending = await start()
    if (Buffer.compare(current.medium, current.wanted) !== 0) {
      const at = current.position + current.medium.findIndex((byte, i) => byte !== current.wanted[i])
      throw mismatch(target, `${file.path} differs from its source at byte ${at}`, file.path)
    }
    ctx.advance(current.medium.length)
  }
}

/** Reads `length` bytes at `offset` of the target as part of a read of whole pages into `into`; returns those bytes, as many as there were. */
async function readPages(target: ByteTarget, into: Uint8Array, offset: number, length: number): Promise<Uint8Array> {
  const lead = offset % DIRECT_ALIGNMENT
  const span = Math.ceil((lead + length) / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT
  const got = await target.read(into.subarray(0, span), offset - lead)
  return into.subarray(lead, lead + Math.max(0, Math.min(length, got - lead)))
}
