import { open } from 'node:fs/promises'
import { AppError } from '../../shared/errors'

const PIECE_BYTES = 1024 * 1024

/**
 * Read buffers of files read to the end, for the next files: with thousands of small files,
 * a buffer each was most of what the main thread had to collect. A few are enough, as files
 * are read one after another (or a few ahead).
 */
const spare: Uint8Array[] = []
const MAX_SPARE = 16

/**
 * A file front to back in pieces of up to 1 MiB, all read into one buffer: each piece is
 * valid only until the next one is asked for, so the consumer copies (or is done with) it
 * first. Unlike a read stream, which allocates its whole high-water mark for every read,
 * this keeps the garbage of reading thousands of small files near zero.
 */
export async function* readFilePieces(path: string): AsyncGenerator<Uint8Array> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw new AppError('IO', `Cannot read ${path}: ${(error as Error).message}`, { path })
  }
  const buffer = spare.pop() ?? new Uint8Array(PIECE_BYTES)
  try {
    // Read to the end, not to the size stated: the caller checks the size it expects.
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
      if (bytesRead === 0) return
      position += bytesRead
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    // The consumer asked for more after the last piece (or gave up): it is done with it.
    if (spare.length < MAX_SPARE) spare.push(buffer)
    await handle.close()
  }
}
