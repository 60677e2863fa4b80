import { AppError } from '../../shared/errors'
import type { RandomAccessReader } from '../io/random-access'
import { readExactly } from '../io/random-access'
import { chunkCount, chunkUncompressedSize, type ChunkLayout } from './chunk-layout'
import { decompressChunk } from './codecs'
import type { Compression } from './constants'
import { corrupt } from './format-error'

/** Compressed bytes read per system call when streaming: several chunks at once. */
const READ_BATCH_BYTES = 4 * 1024 * 1024

/** One stored chunk, decompressed to `size` bytes (or taken as is when it was stored raw). */
export function decodeChunkBytes(compression: Compression, chunkSize: number, size: number, stored: Uint8Array, file: string, offset: number, index: number): Uint8Array {
  if (stored.length === size) return stored
  try {
    return decompressChunk(compression, stored, size, chunkSize)
  } catch (error) {
    if (error instanceof AppError && error.code !== 'CORRUPT') throw error
    throw corrupt(file, `${compression} chunk ${index}`, offset, (error as Error).message)
  }
}

export function decodeChunk(layout: ChunkLayout, index: number, stored: Uint8Array, file: string): Uint8Array {
  return decodeChunkBytes(layout.compression, layout.chunkSize, chunkUncompressedSize(layout, index), stored, file, layout.dataStart + layout.offsets[index]!, index)
}

/**
 * Streams the uncompressed bytes [offset, offset + length) of a resource, decompressing
 * chunk by chunk; memory stays at one read batch plus one chunk.
 */
export async function* streamResource(
  reader: RandomAccessReader,
  layout: ChunkLayout,
  offset: number,
  length: number,
): AsyncGenerator<Uint8Array> {
  if (length === 0) return
  if (offset < 0 || offset + length > layout.uncompressedSize) {
    throw corrupt(reader.name, 'resource', layout.dataStart, `read of ${length} bytes at ${offset} beyond its ${layout.uncompressedSize} bytes`)
  }
  const first = Math.floor(offset / layout.chunkSize)
  const last = Math.floor((offset + length - 1) / layout.chunkSize)
  let index = first
  while (index <= last) {
    // Batch consecutive chunks into one read.
    let end = index + 1
    while (end <= last && layout.offsets[end + 1]! - layout.offsets[index]! <= READ_BATCH_BYTES) end++
    const start = layout.offsets[index]!
    const batch = await readExactly(reader, layout.dataStart + start, layout.offsets[end]! - start, 'resource chunks')
    for (let i = index; i < end; i++) {
      const chunk = decodeChunk(layout, i, batch.subarray(layout.offsets[i]! - start, layout.offsets[i + 1]! - start), reader.name)
      const chunkStart = i * layout.chunkSize
      const from = Math.max(offset, chunkStart) - chunkStart
      const to = Math.min(offset + length, chunkStart + chunk.length) - chunkStart
      yield chunk.subarray(from, to)
    }
    index = end
  }
}

/** The uncompressed bytes [offset, offset + length) of a resource, in one buffer. */
export async function readResource(reader: RandomAccessReader, layout: ChunkLayout, offset: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length)
  let at = 0
  for await (const piece of streamResource(reader, layout, offset, length)) {
    out.set(piece, at)
    at += piece.length
  }
  return out
}

export { chunkCount }
