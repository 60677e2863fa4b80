import { LENGTH_ESCAPE, MIN_MATCH_LENGTH, NUM_CHARS } from './constants'

/**
 * The parse of a chunk, one 32-bit item per literal or match: `length << 16 | offset` for a
 * match, the byte itself for a literal (length 0). Lengths fit: a chunk is at most 65536 bytes
 * and a match starts after at least one byte.
 */
export const ITEM_LENGTH_SHIFT = 16
export const ITEM_LOW_MASK = 0xffff

export function matchItem(length: number, offset: number): number {
  return ((length << ITEM_LENGTH_SHIFT) | offset) >>> 0
}

/** The Huffman symbol of a match: offset bit count in the high nibble, length (capped) in the low one. */
export function matchSymbol(length: number, offset: number): number {
  const adjusted = length - MIN_MATCH_LENGTH
  return NUM_CHARS + (((31 - Math.clz32(offset)) << 4) | (adjusted < LENGTH_ESCAPE ? adjusted : LENGTH_ESCAPE))
}
