import { AppError } from '../../../../shared/errors'
import { buildDecodeTable, decodeSymbol, decodeTableSize } from '../huffman'
import {
  LENGTH_BYTE_ESCAPE,
  LENGTH_ESCAPE,
  LENGTH_TABLE_BYTES,
  MAX_BLOCK_SIZE,
  MAX_CODEWORD_LENGTH,
  MIN_MATCH_LENGTH,
  NUM_CHARS,
  NUM_SYMBOLS,
} from './constants'

/** Bits resolved by the first decode-table level: most codewords, in a table that stays in cache. */
const TABLE_BITS = 11

function corruptXpress(reason: string): AppError {
  return new AppError('CORRUPT', `XPRESS: ${reason}`)
}

/**
 * Decodes XPRESS blocks. The stream interleaves two things: 16-bit little-endian words holding
 * Huffman codewords and offset bits (read most significant bit first), and whole bytes of long
 * match lengths. Like [MS-XCA]'s reference decoder we keep 16 to 31 bits buffered after every
 * read, so a length byte is always taken from just past the last word loaded: that is where
 * encoders put it.
 */
export class XpressDecompressor {
  private readonly lengths = new Uint8Array(NUM_SYMBOLS)
  private readonly table = new Uint32Array(decodeTableSize(NUM_SYMBOLS, TABLE_BITS, MAX_CODEWORD_LENGTH))

  decompress(input: Uint8Array, outputSize: number): Uint8Array {
    if (!Number.isInteger(outputSize) || outputSize < 0 || outputSize > MAX_BLOCK_SIZE) {
      throw corruptXpress(`a chunk of ${outputSize} bytes cannot be one block`)
    }
    const out = new Uint8Array(outputSize)
    if (outputSize === 0) return out
    if (input.length < LENGTH_TABLE_BYTES) throw corruptXpress(`${input.length} bytes cannot hold the Huffman code`)
    this.readCode(input)
    const view = new DataView(out.buffer)

    const table = this.table
    const end = input.length
    let pos = LENGTH_TABLE_BYTES
    // Words asked for past the end of the input read as zeros; they are an error only if the
    // stream consumed their bits, checked once at the end (the loop is bounded by the output).
    let bits = (wordAt(input, pos) << 16) | wordAt(input, pos + 2)
    let bitsLeft = 32
    pos += 4

    let outPos = 0
    while (outPos < outputSize) {
      const entry = decodeSymbol(table, TABLE_BITS, bits)
      const codeLength = entry & 0xff
      bits <<= codeLength
      bitsLeft -= codeLength
      if (bitsLeft < 16) {
        bits |= wordAt(input, pos) << (16 - bitsLeft)
        bitsLeft += 16
        pos += 2
      }
      const symbol = entry >>> 8
      if (symbol < NUM_CHARS) {
        out[outPos++] = symbol
        continue
      }

      let length = symbol & 0xf
      const offsetBits = (symbol >>> 4) & 0xf
      if (length === LENGTH_ESCAPE) {
        if (pos >= end) throw corruptXpress('match length byte past the end of the input')
        length += input[pos++]!
        if (length === LENGTH_ESCAPE + LENGTH_BYTE_ESCAPE) {
          if (pos + 1 >= end) throw corruptXpress('match length word past the end of the input')
          length = input[pos]! | (input[pos + 1]! << 8)
          pos += 2
          // [MS-XCA] refuses these: they would be shorter than the escape that announced them.
          if (length < LENGTH_ESCAPE) throw corruptXpress(`match length word ${length} is invalid`)
        }
      }
      length += MIN_MATCH_LENGTH
      // Shifting by 1 first keeps offsetBits = 0 from becoming a shift by 32 (which is no shift).
      const offset = (1 << offsetBits) | ((bits >>> 1) >>> (31 - offsetBits))
      bits <<= offsetBits
      bitsLeft -= offsetBits
      if (bitsLeft < 16) {
        bits |= wordAt(input, pos) << (16 - bitsLeft)
        bitsLeft += 16
        pos += 2
      }

      if (offset > outPos) throw corruptXpress(`match at ${outPos} reaches ${offset} bytes back, before the start of the chunk`)
      if (length > outputSize - outPos) throw corruptXpress(`match of ${length} bytes at ${outPos} runs past the end of the ${outputSize}-byte chunk`)
      copyMatch(out, view, outPos, offset, length)
      outPos += length
    }
    // Past the end, words are loaded at end - 1 or end and no byte is read after them.
    const missingBits = Math.max(0, (pos - end + 1) >> 1) * 16
    if (missingBits > bitsLeft) throw corruptXpress('the input ends in the middle of the bitstream')
    return out
  }

  /** Unpacks the codeword lengths (low nibble first) and builds the decode table. */
  private readCode(input: Uint8Array): void {
    const lengths = this.lengths
    let any = 0
    for (let i = 0; i < LENGTH_TABLE_BYTES; i++) {
      const byte = input[i]!
      lengths[2 * i] = byte & 0xf
      lengths[2 * i + 1] = byte >>> 4
      any |= byte
    }
    // An empty code decodes nothing yet consumes no bits: accepting it would mean endless zeros.
    if (!any) throw corruptXpress('the Huffman code has no symbols')
    if (!buildDecodeTable(lengths, NUM_SYMBOLS, TABLE_BITS, MAX_CODEWORD_LENGTH, this.table)) {
      throw corruptXpress('the Huffman code is over-subscribed or incomplete')
    }
  }
}

/** The 16-bit little-endian word at `pos`, or zeros where the input has ended. */
function wordAt(input: Uint8Array, pos: number): number {
  return pos + 1 < input.length ? input[pos]! | (input[pos + 1]! << 8) : 0
}

/**
 * Copies a match that may overlap its own output (offset < length repeats a pattern). Four
 * bytes at a time when the offset allows it (the source then never includes bytes this copy
 * has yet to write), running up to 3 bytes past the match where the buffer has room: those
 * are rewritten by the items that follow.
 */
function copyMatch(out: Uint8Array, view: DataView, at: number, offset: number, length: number): void {
  let src = at - offset
  const stop = at + length
  if (offset >= length && length >= 64) {
    out.copyWithin(at, src, stop - offset)
    return
  }
  if (offset >= 4) {
    const wordStop = Math.min(stop, out.length - 3)
    while (at < wordStop) {
      view.setInt32(at, view.getInt32(src, true), true)
      at += 4
      src += 4
    }
  } else if (offset === 1 && length >= 16) {
    out.fill(out[src]!, at, stop)
    return
  }
  while (at < stop) out[at++] = out[src++]!
}
