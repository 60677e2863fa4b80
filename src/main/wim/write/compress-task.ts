/** Runs in pool workers: compresses a batch of chunks, each on its own. */
import { codecFor } from '../codecs'
import type { Compression } from '../constants'

export interface CompressTask {
  compression: Exclude<Compression, 'none'>
  chunkSize: number
  /** The chunks back to back (the buffer may be longer than they are). */
  data: Uint8Array
  lengths: number[]
}

export interface CompressResult {
  /** The stored chunks back to back: compressed, or the original bytes when that is not smaller. */
  data: Uint8Array
  /** Stored size of each chunk; equal to its length means it is stored raw. */
  sizes: number[]
  /** The task's own data, given back (transferred) so the caller keeps the originals without a copy. */
  original: Uint8Array
}

export function runCompressTask(task: CompressTask): CompressResult {
  const codec = codecFor(task.compression, task.chunkSize)
  const parts: Uint8Array[] = []
  const sizes: number[] = []
  let offset = 0
  let total = 0
  for (const length of task.lengths) {
    const chunk = task.data.subarray(offset, offset + length)
    const compressed = codec.compress(chunk)
    const stored = compressed && compressed.length < length ? compressed : chunk
    parts.push(stored)
    sizes.push(stored.length)
    total += stored.length
    offset += length
  }
  const data = new Uint8Array(total)
  let at = 0
  for (const part of parts) {
    data.set(part, at)
    at += part.length
  }
  return { data, sizes, original: task.data }
}
