import { AppError } from '../../../../shared/errors'
import type { ChunkCodec, CodecOptions } from '../codec'
import { LzmsCompressor } from './compressor'
import { MAX_BUFFER_SIZE } from './constants'
import { LzmsDecompressor, corruptLzms } from './decompressor'

/**
 * The LZMS codec of solid WIMs, install.esd files and `--compress=lzms` WIMs: chunks of up to
 * 1 GiB (64 MiB in solid resources, 128 KiB elsewhere, by default).
 */
export function createLzmsCodec(options: CodecOptions): ChunkCodec {
  const { chunkSize, level } = options
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_BUFFER_SIZE) {
    throw new AppError('UNSUPPORTED', `LZMS chunks of ${chunkSize} bytes are not supported (at most ${MAX_BUFFER_SIZE})`)
  }
  const decompressor = new LzmsDecompressor()
  let compressor: LzmsCompressor | undefined
  return {
    decompress: (input, outputSize) => {
      if (!Number.isInteger(outputSize) || outputSize < 0 || outputSize > chunkSize) {
        throw corruptLzms(`a chunk of ${outputSize} bytes does not fit the chunk size ${chunkSize}`)
      }
      return decompressor.decompress(input, outputSize)
    },
    compress: (input) => {
      if (input.length > chunkSize) throw new AppError('INTERNAL', `LZMS: a chunk of ${input.length} bytes is larger than the chunk size ${chunkSize}`)
      // Created on first use: a worker that only reads images never pays for the match finder.
      return (compressor ??= new LzmsCompressor(chunkSize, level)).compress(input)
    },
  }
}
