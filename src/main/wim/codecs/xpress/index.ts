import { AppError } from '../../../../shared/errors'
import type { ChunkCodec, CodecOptions } from '../codec'
import { XpressCompressor } from './compressor'
import { MAX_BLOCK_SIZE } from './constants'
import { XpressDecompressor } from './decompressor'

/**
 * The XPRESS (LZ77 + Huffman) codec of WIM files, for chunks of up to 64 KiB: the sizes wimlib
 * and Microsoft's tools use with it, each chunk one block of the format.
 */
export function createXpressCodec(options: CodecOptions): ChunkCodec {
  const { chunkSize, level } = options
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_BLOCK_SIZE) {
    throw new AppError('UNSUPPORTED', `XPRESS chunks of ${chunkSize} bytes are not supported (at most ${MAX_BLOCK_SIZE})`)
  }
  const decompressor = new XpressDecompressor()
  let compressor: XpressCompressor | undefined
  return {
    decompress: (input, outputSize) => decompressor.decompress(input, outputSize),
    // Created on first use: a worker that only applies images never pays for the match finder.
    compress: (input) => (compressor ??= new XpressCompressor(chunkSize, level)).compress(input),
  }
}
