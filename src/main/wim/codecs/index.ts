import { AppError } from '../../../shared/errors'
import type { Compression } from '../constants'

/**
 * Decompresses one chunk into exactly `outputSize` bytes. Codecs are pure functions over
 * Uint8Array so they run the same on the main thread and in pool workers.
 */
export function decompressChunk(compression: Compression, input: Uint8Array, outputSize: number): Uint8Array {
  switch (compression) {
    case 'none':
      if (input.length !== outputSize) throw new AppError('CORRUPT', `stored chunk has ${input.length} bytes, expected ${outputSize}`)
      return input
    default:
      throw new AppError('UNSUPPORTED', `${compression} decompression is not built yet`)
  }
}
