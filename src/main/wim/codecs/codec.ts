/**
 * What each WIM codec provides. An instance owns its scratch memory (match finders, decode
 * tables), so a worker keeps one per codec and chunk size and reuses it for every chunk;
 * instances hold no state from one chunk to the next, because WIM chunks are independent.
 */
export interface ChunkCodec {
  /**
   * Decompresses one chunk into exactly `outputSize` bytes (at most the chunk size).
   * Damaged input throws AppError('CORRUPT') with a short reason; never an endless loop or
   * a read or write outside the buffers.
   */
  decompress(input: Uint8Array, outputSize: number): Uint8Array
  /**
   * Compresses one chunk (at most the chunk size). Returns null when the result would not
   * be smaller than the input: the caller then stores the chunk raw, as the format requires.
   */
  compress(input: Uint8Array): Uint8Array | null
}

export interface CodecOptions {
  /** Uncompressed bytes per chunk; fixes the LZ window (LZX needs 32768 for Microsoft's tools). */
  chunkSize: number
  /** Effort, wimlib's scale: 50 is its default; higher compresses better and slower. */
  level?: number
}

export type CodecFactory = (options: CodecOptions) => ChunkCodec
