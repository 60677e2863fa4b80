/**
 * The XPRESS Huffman format ([MS-XCA] "LZ77+Huffman") as WIM chunks use it: one block per
 * chunk, opened by the codeword lengths of a single 512-symbol code packed two to a byte.
 */

/** Symbols 0-255 are literal bytes; 256-511 are match headers (offset slot << 4 | length nibble). */
export const NUM_CHARS = 256
export const NUM_SYMBOLS = 512
export const MAX_CODEWORD_LENGTH = 15

/** Bytes of packed 4-bit codeword lengths at the start of a block. */
export const LENGTH_TABLE_BYTES = NUM_SYMBOLS / 2

/**
 * The symbol encoders write after the last item (it would otherwise mean offset 1, length 3).
 * Some of Microsoft's decoders fail without it, and 7-Zip's also wants the block to end right
 * after it with zero bits; we write it that way, and like wimlib do not require it on reading.
 */
export const END_OF_DATA = 256

export const MIN_MATCH_LENGTH = 3
/** Length nibble of a match header that says "more length follows in the byte stream". */
export const LENGTH_ESCAPE = 0xf
/** Extra length byte that says "the whole length minus 3 follows as a 16-bit word". */
export const LENGTH_BYTE_ESCAPE = 0xff

/**
 * One block decodes to at most 65536 bytes, which is also the largest chunk wimlib accepts
 * for XPRESS: a WIM chunk is therefore exactly one block, and offsets fit in 16 bits.
 */
export const MAX_BLOCK_SIZE = 65536

/**
 * Smallest possible block: the length table and the two 16-bit words every stream ends with.
 * An input this short can never shrink.
 */
export const MIN_BLOCK_BYTES = LENGTH_TABLE_BYTES + 4
