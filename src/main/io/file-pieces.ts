import { open } from 'node:fs/promises'
import { AppError } from '../../shared/errors'

const PIECE_BYTES = 1024 * 1024

/**
 * A file front to back in pieces of up to 1 MiB, all read into one buffer sized to the file:
 * each piece is valid only until the next one is asked for, so the consumer copies (or is
 * done with) it first. Unlike a read stream, which allocates its whole high-water mark for
 * every read (a megabyte for a 2 KB file), this keeps the garbage of reading thousands of
 * small files near zero.
 */
export async function* readFilePieces(path: string): AsyncGenerator<Uint8Array> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw new AppError('IO', `Cannot read ${path}: ${(error as Error).message}`, { path })
  }
  try {
    const size = (await handle.stat()).size
    const buffer = new Uint8Array(Math.max(1, Math.min(size, PIECE_BYTES)))
    // Read to the end, not to the size stated: the caller checks the size it expects.
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
      if (bytesRead === 0) return
      position += bytesRead
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}
