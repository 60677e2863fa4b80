import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import type { ByteTarget } from '../disk/byte-target'
import { openFat32, type Fat32Entry, type Fat32Volume, type PositionalContents } from '../fs/fat32'
import { prefetched } from '../io/prefetch'
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
 * source that did not read the same twice.
 */
export async function verifyMedia(target: ByteTarget, volumeOffset: number, files: readonly MediaFile[], ctx: Pick<OperationContext, 'signal' | 'setTotal' | 'advance'>): Promise<string> {
  const expected = new Map(files.map((f) => [f.path, f]))
  const volume = await openFat32(target, volumeOffset)
  ctx.setTotal(files.reduce((sum, f) => sum + f.size, 0))
  let count = 0
  let bytes = 0
  for await (const entry of walkFiles(volume)) {
    const file = expected.get(entry.path)
    if (!file) throw mismatch(target, `it holds ${entry.path}, which was not written`, entry.path)
    expected.delete(entry.path)
    if (entry.size !== file.size) throw mismatch(target, `${entry.path} has ${entry.size} bytes instead of ${file.size}`, entry.path)
    const source = await file.open()
    try {
      await compareWithSource(target, volume.read(entry), source, file, ctx)
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

/** The medium's chunks of a file against the same bytes of its source, the next chunk read while one is compared. */
async function compareWithSource(target: ByteTarget, chunks: AsyncIterable<Uint8Array>, source: PositionalContents, file: MediaFile, ctx: Progress): Promise<void> {
  let expected = new Uint8Array(0)
  let position = 0
  for await (const chunk of prefetched(chunks)) {
    ctx.signal.throwIfAborted()
    if (expected.length < chunk.length) expected = new Uint8Array(chunk.length)
    const wanted = expected.subarray(0, chunk.length)
    const got = await source.read(wanted, position)
    if (got !== chunk.length) throw new AppError('IO', `${file.path} ended at byte ${position + got} of its source, before its ${file.size} bytes: did the source change?`, { path: file.path })
    if (Buffer.compare(chunk, wanted) !== 0) {
      const at = position + chunk.findIndex((byte, i) => byte !== wanted[i])
      throw mismatch(target, `${file.path} differs from its source at byte ${at}`, file.path)
    }
    position += chunk.length
    ctx.advance(chunk.length)
  }
  if (position !== file.size) throw mismatch(target, `${file.path} gave ${position} bytes instead of ${file.size}`, file.path)
}
