import { createHash } from 'node:crypto'
import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import type { ByteTarget } from '../disk/byte-target'
import { openFat32, type Fat32Volume } from '../fs/fat32'
import type { OperationContext } from '../jobs/operation-context'
import type { MediaFile } from './media-files'

async function* walkFiles(volume: Fat32Volume, path = ''): AsyncGenerator<string> {
  for (const entry of await volume.list(path)) {
    if (entry.kind === 'directory') yield* walkFiles(volume, entry.path)
    else yield entry.path
  }
}

function mismatch(target: ByteTarget, message: string, path: string): AppError {
  return new AppError('IO', `The medium on ${target.name} does not read back as written: ${message}. Do not use it; make it again (and try another stick if it happens twice).`, { path })
}

/**
 * Reads the medium back through its file system, as a PC will: every file must be there,
 * nothing else, each with the size and SHA-256 of what was written. This checks the data
 * and the FAT32 structures that lead to it in one pass, and catches a stick that stores less
 * than it claims (its late writes land on its early ones).
 */
export async function verifyMedia(target: ByteTarget, volumeOffset: number, files: readonly MediaFile[], ctx: Pick<OperationContext, 'signal' | 'setTotal' | 'advance'>): Promise<string> {
  const expected = new Map(files.map((f) => [f.path, f]))
  const volume = await openFat32(target, volumeOffset)
  ctx.setTotal(files.reduce((sum, f) => sum + f.size, 0))
  let count = 0
  let bytes = 0
  for await (const path of walkFiles(volume)) {
    const file = expected.get(path)
    if (!file) throw mismatch(target, `it holds ${path}, which was not written`, path)
    expected.delete(path)
    const hash = createHash('sha256')
    let size = 0
    for await (const chunk of volume.read(path)) {
      ctx.signal.throwIfAborted()
      hash.update(chunk)
      size += chunk.length
      ctx.advance(chunk.length)
    }
    if (size !== file.size) throw mismatch(target, `${path} has ${size} bytes instead of ${file.size}`, path)
    if (file.sha256 === null || hash.digest('hex') !== file.sha256) throw mismatch(target, `the contents of ${path} differ from what was written`, path)
    count++
    bytes += size
  }
  const missing = [...expected.keys()]
  if (missing.length > 0) throw mismatch(target, `${missing.length} file${missing.length === 1 ? ' is' : 's are'} missing (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`, missing[0]!)
  return `Read back ${count} files (${formatBytes(bytes)}) through the FAT32 file system: each identical to what was written`
}
