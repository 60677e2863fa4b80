/** LZX for WIM chunks: Microsoft's format for install.wim and boot.wim (DISM /Compress:max). */
import type { ChunkCodec, CodecOptions } from '../codec'
import { LzxCompressor } from './compress'
import { windowOrder } from './constants'
import { LzxDecompressor } from './decompress'

/** wimlib's default effort, which the size and speed targets are measured against. */
const DEFAULT_LEVEL = 50

export function createLzxCodec(options: CodecOptions): ChunkCodec {
  windowOrder(options.chunkSize)
  // Each side allocates its scratch memory on first use: a worker that only applies
  // images never pays for the match finder.
  let decompressor: LzxDecompressor | undefined
  let compressor: LzxCompressor | undefined
  return {
    decompress(input, outputSize) {
      decompressor ??= new LzxDecompressor(options.chunkSize)
      return decompressor.decompress(input, outputSize)
    },
    compress(input) {
      compressor ??= new LzxCompressor(options.chunkSize, options.level ?? DEFAULT_LEVEL)
      return compressor.compress(input)
    },
  }
}
