import { AppError } from '../../../shared/errors'
import type { Compression } from '../constants'
import type { ChunkCodec, CodecFactory } from './codec'
import { createLzmsCodec } from './lzms'
import { createLzxCodec } from './lzx'
import { createXpressCodec } from './xpress'

/** The codec of each compression format; a format missing here is refused with UNSUPPORTED. */
const FACTORIES: Partial<Record<Exclude<Compression, 'none'>, CodecFactory>> = {
  xpress: createXpressCodec,
  lzx: createLzxCodec,
  lzms: createLzmsCodec,
}

const instances = new Map<string, ChunkCodec>()

/** One codec instance per format and chunk size in this thread, reused for every chunk. */
export function codecFor(compression: Exclude<Compression, 'none'>, chunkSize: number): ChunkCodec {
  const key = `${compression}:${chunkSize}`
  let codec = instances.get(key)
  if (!codec) {
    const factory = FACTORIES[compression]
    if (!factory) throw new AppError('UNSUPPORTED', `${compression} compression is not available in this build`)
    codec = factory({ chunkSize })
    instances.set(key, codec)
  }
  return codec
}

/** Decompresses one chunk into exactly `outputSize` bytes. */
export function decompressChunk(compression: Compression, input: Uint8Array, outputSize: number, chunkSize = 32768): Uint8Array {
  if (compression === 'none') {
    if (input.length !== outputSize) throw new AppError('CORRUPT', `stored chunk has ${input.length} bytes, expected ${outputSize}`)
    return input
  }
  return codecFor(compression, Math.max(chunkSize, outputSize)).decompress(input, outputSize)
}
