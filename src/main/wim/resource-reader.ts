import { AppError } from '../../shared/errors'
import type { RandomAccessReader } from '../io/random-access'
import { readExactly } from '../io/random-access'
import { chunkUncompressedSize, type ChunkLayout } from './chunk-layout'
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

/** Decoded chunks kept between reads (solid chunks are large and shared by many blobs). */
export interface ChunkCache {
  get(layout: ChunkLayout, index: number): Uint8Array | undefined
  set(layout: ChunkLayout, index: number, chunk: Uint8Array): void
}

/**
 * Streams the uncompressed bytes [offset, offset + length) of a resource, decompressing
 * chunk by chunk; memory stays at one read batch plus one chunk (plus what the cache keeps).
 */
export async function* streamResource(
  reader: RandomAccessReader,
  layout: ChunkLayout,
  offset: number,
  length: number,
  cache?: ChunkCache,
): AsyncGenerator<Uint8Array> {
  if (length === 0) return
  if (offset < 0 || offset + length > layout.uncompressedSize) {
    throw corrupt(reader.name, 'resource', layout.dataStart, `read of ${length} bytes at ${offset} beyond its ${layout.uncompressedSize} bytes`)
  }
  const first = Math.floor(offset / layout.chunkSize)
  const last = Math.floor((offset + length - 1) / layout.chunkSize)
  const slice = (i: number, chunk: Uint8Array): Uint8Array => {
    const chunkStart = i * layout.chunkSize
    return chunk.subarray(Math.max(offset, chunkStart) - chunkStart, Math.min(offset + length, chunkStart + chunk.length) - chunkStart)
  }
  let index = first
  while (index <= last) {
    const cached = cache?.get(layout, index)
    if (cached) {
      yield slice(index, cached)
      index++
      continue
    }
    // Batch consecutive chunks into one read.
    let end = index + 1
    while (end <= last && !cache?.get(layout, end) && layout.offsets[end + 1]! - layout.offsets[index]! <= READ_BATCH_BYTES) end++
    const start = layout.offsets[index]!
    const batch = await readExactly(reader, layout.dataStart + start, layout.offsets[end]! - start, 'resource chunks')
    for (let i = index; i < end; i++) {
      const chunk = decodeChunk(layout, i, batch.subarray(layout.offsets[i]! - start, layout.offsets[i + 1]! - start), reader.name)
      cache?.set(layout, i, chunk)
      yield slice(i, chunk)
    }
    index = end
  }
}

