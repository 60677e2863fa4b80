import { buildLengthLimitedCode, canonicalCodes } from '../huffman'
import {
  END_OF_DATA,
  LENGTH_BYTE_ESCAPE,
  LENGTH_ESCAPE,
  LENGTH_TABLE_BYTES,
  MAX_CODEWORD_LENGTH,
  MIN_MATCH_LENGTH,
  NUM_CHARS,
  NUM_SYMBOLS,
} from './constants'
import { ITEM_LENGTH_SHIFT, ITEM_LOW_MASK, matchSymbol } from './items'

/** Room past the limit for the writes of one item before the limit is checked. */
export const ENCODER_SLACK = 16

/**
 * Writes one XPRESS block: the code built from `freqs` (plus the end-of-data symbol), then
 * the items. Returns the block's size, or 0 as soon as it would exceed `limit` bytes; `out`
 * must have `limit + ENCODER_SLACK` bytes.
 *
 * Bits go out in 16-bit little-endian words, most significant bit first. Two word slots are
 * always reserved ahead of the byte stream, and a length byte goes after them: exactly where
 * a decoder that keeps 16 or more bits buffered finds it.
 */
export function encodeBlock(
  items: Uint32Array,
  count: number,
  freqs: Uint32Array,
  lengths: Uint8Array,
  codes: Uint32Array,
  out: Uint8Array,
  limit: number,
): number {
  freqs[END_OF_DATA]!++
  buildLengthLimitedCode(freqs, NUM_SYMBOLS, MAX_CODEWORD_LENGTH, lengths)
  // Incompressible chunks end here, before a single bit is written.
  if (sizeLowerBound(freqs, lengths) > limit) return 0
  canonicalCodes(lengths, NUM_SYMBOLS, MAX_CODEWORD_LENGTH, codes)
  for (let i = 0; i < LENGTH_TABLE_BYTES; i++) out[i] = lengths[2 * i]! | (lengths[2 * i + 1]! << 4)

  let bits = 0
  let bitCount = 0
  let wordAt = LENGTH_TABLE_BYTES
  let nextWordAt = wordAt + 2
  let byteAt = wordAt + 4
  for (let i = 0; i <= count; i++) {
    if (byteAt > limit) return 0
    // The end-of-data symbol goes last, in the form of a literal item.
    const item = i < count ? items[i]! : END_OF_DATA
    const length = item >>> ITEM_LENGTH_SHIFT
    const offset = item & ITEM_LOW_MASK
    const symbol = length ? matchSymbol(length, offset) : offset
    const codeLength = lengths[symbol]!
    bits = (bits << codeLength) | codes[symbol]!
    bitCount += codeLength
    // A word is flushed only once more than 16 bits wait, so that a length byte written now
    // lands after the word the decoder loads next, as in wimlib and Microsoft's encoders.
    if (bitCount > 16) {
      bitCount -= 16
      const word = bits >>> bitCount
      out[wordAt] = word
      out[wordAt + 1] = word >>> 8
      wordAt = nextWordAt
      nextWordAt = byteAt
      byteAt += 2
    }
    if (!length) continue
    const adjusted = length - MIN_MATCH_LENGTH
    if (adjusted >= LENGTH_ESCAPE) {
      if (adjusted - LENGTH_ESCAPE < LENGTH_BYTE_ESCAPE) out[byteAt++] = adjusted - LENGTH_ESCAPE
      else {
        out[byteAt] = LENGTH_BYTE_ESCAPE
        out[byteAt + 1] = adjusted
        out[byteAt + 2] = adjusted >>> 8
        byteAt += 3
      }
    }
    const offsetBits = 31 - Math.clz32(offset)
    bits = (bits << offsetBits) | (offset ^ (1 << offsetBits))
    bitCount += offsetBits
    if (bitCount > 16) {
      bitCount -= 16
      const word = bits >>> bitCount
      out[wordAt] = word
      out[wordAt + 1] = word >>> 8
      wordAt = nextWordAt
      nextWordAt = byteAt
      byteAt += 2
    }
  }
  const last = bits << (16 - bitCount)
  out[wordAt] = last
  out[wordAt + 1] = last >>> 8
  out[nextWordAt] = 0
  out[nextWordAt + 1] = 0
  return byteAt > limit ? 0 : byteAt
}

/**
 * The block size the code and symbol counts imply, counting one length byte for each long
 * match (some have three).
 */
function sizeLowerBound(freqs: Uint32Array, lengths: Uint8Array): number {
  let bits = 0
  let bytes = LENGTH_TABLE_BYTES
  for (let symbol = 0; symbol < NUM_SYMBOLS; symbol++) {
    const count = freqs[symbol]!
    bits += count * lengths[symbol]!
    if (symbol < NUM_CHARS) continue
    bits += count * ((symbol - NUM_CHARS) >>> 4)
    if ((symbol & LENGTH_ESCAPE) === LENGTH_ESCAPE) bytes += count
  }
  // Every stream ends with two words past the last bit that needs one.
  return bytes + 2 * (Math.ceil(bits / 16) + 1)
}
