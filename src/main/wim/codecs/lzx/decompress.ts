/**
 * LZX decompression of one WIM chunk: a series of verbatim, aligned offset and uncompressed
 * blocks that together give the chunk's bytes, then the E8 translation undone. Every chunk
 * starts afresh: recent offsets 1, 1, 1 and all previous code lengths zero.
 */
import { AppError } from '../../../../shared/errors'
import { buildDecodeTable, decodeTableSize } from '../huffman'
import { BitReader } from './bit-reader'
import {
  ALIGNED_ELEMENT_BITS,
  ALIGNED_SYMBOLS,
  BLOCK_ALIGNED,
  BLOCK_UNCOMPRESSED,
  BLOCK_VERBATIM,
  DEFAULT_BLOCK_SIZE,
  EXTRA_BITS,
  MAX_ALIGNED_CODEWORD,
  MAX_LEN_CODEWORD,
  MAX_MAIN_CODEWORD,
  MAX_PRE_CODEWORD,
  MIN_ALIGNED_SLOT,
  MIN_MATCH,
  NUM_CHARS,
  NUM_LEN_SYMBOLS,
  NUM_PRIMARY_LENS,
  OFFSET_ADJUSTMENT,
  PRECODE_ELEMENT_BITS,
  PRECODE_SYMBOLS,
  SLOT_BASE,
  mainSymbolCount,
  wideBlockSizes,
  windowOrder,
} from './constants'
import { untranslateE8 } from './e8'

const MAIN_TABLE_BITS = 11
const LEN_TABLE_BITS = 10
const ALIGNED_TABLE_BITS = 7
const PRE_TABLE_BITS = 6
/** A run in the code lengths may overshoot the last length by up to 50 (as in wimlib). */
const RUN_OVERSHOOT = 50
/** Below this, copying four bytes at a time beats the cost of calling copyWithin. */
const COPY_WITHIN_MIN = 64
/** Room past the chunk for the last four-byte copy of a match to overrun. */
const COPY_SLACK = 4

function corrupt(reason: string): AppError {
  return new AppError('CORRUPT', `LZX: ${reason}`)
}

export class LzxDecompressor {
  private readonly maxSize: number
  private readonly wideSizes: boolean
  private readonly numMain: number
  private readonly reader = new BitReader()
  /** Where chunks are decoded, with slack for four-byte copies; the result is a copy. */
  private readonly output: Uint8Array
  private readonly outputWords: DataView
  private readonly mainLens: Uint8Array
  private readonly lenLens = new Uint8Array(NUM_LEN_SYMBOLS + RUN_OVERSHOOT)
  private readonly alignedLens = new Uint8Array(ALIGNED_SYMBOLS)
  private readonly preLens = new Uint8Array(PRECODE_SYMBOLS)
  private readonly mainTable: Uint32Array
  private readonly lenTable = new Uint32Array(decodeTableSize(NUM_LEN_SYMBOLS, LEN_TABLE_BITS, MAX_LEN_CODEWORD))
  private readonly alignedTable = new Uint32Array(decodeTableSize(ALIGNED_SYMBOLS, ALIGNED_TABLE_BITS, MAX_ALIGNED_CODEWORD))
  private readonly preTable = new Uint32Array(decodeTableSize(PRECODE_SYMBOLS, PRE_TABLE_BITS, MAX_PRE_CODEWORD))
  /** Recent offsets, carried from block to block within a chunk. */
  private r0 = 1
  private r1 = 1
  private r2 = 1

  constructor(chunkSize: number) {
    const order = windowOrder(chunkSize)
    this.maxSize = chunkSize
    this.output = new Uint8Array(chunkSize + COPY_SLACK)
    this.outputWords = new DataView(this.output.buffer)
    this.wideSizes = wideBlockSizes(order)
    this.numMain = mainSymbolCount(order)
    this.mainLens = new Uint8Array(this.numMain + RUN_OVERSHOOT)
    this.mainTable = new Uint32Array(decodeTableSize(this.numMain, MAIN_TABLE_BITS, MAX_MAIN_CODEWORD))
  }

  decompress(input: Uint8Array, outputSize: number): Uint8Array {
    if (outputSize > this.maxSize) throw corrupt(`chunk of ${outputSize} bytes is larger than the ${this.maxSize}-byte window`)
    const out = this.output
    const reader = this.reader
    reader.reset(input)
    this.mainLens.fill(0)
    this.lenLens.fill(0)
    this.r0 = this.r1 = this.r2 = 1
    let at = 0
    while (at < outputSize) {
      const type = reader.read(3)
      let size = reader.read(1) ? DEFAULT_BLOCK_SIZE : reader.read(16)
      if (this.wideSizes && size !== DEFAULT_BLOCK_SIZE) size = size * 256 + reader.read(8)
      if (size === 0 || size > outputSize - at) throw corrupt(`block of ${size} bytes where ${outputSize - at} remain`)
      if (type === BLOCK_UNCOMPRESSED) {
        at = this.copyUncompressed(out, at, size)
        continue
      }
      if (type !== BLOCK_VERBATIM && type !== BLOCK_ALIGNED) throw corrupt(`block type ${type}`)
      this.readCodes(type === BLOCK_ALIGNED)
      at = this.decodeBlock(out, at, at + size, type === BLOCK_ALIGNED)
      if (reader.overran()) throw corrupt('data ends in the middle of a block')
    }
    const result = out.slice(0, outputSize)
    untranslateE8(result)
    return result
  }

  private copyUncompressed(out: Uint8Array, at: number, size: number): number {
    const reader = this.reader
    reader.alignToWord()
    if (reader.bytesLeft() < 12 + size) throw corrupt('uncompressed block runs past the end of the data')
    this.r0 = reader.readU32()
    this.r1 = reader.readU32()
    this.r2 = reader.readU32()
    if (this.r0 === 0 || this.r1 === 0 || this.r2 === 0) throw corrupt('recent offset of 0 in an uncompressed block')
    out.set(reader.input.subarray(reader.pos, reader.pos + size), at)
    // The stream goes on at a 16-bit boundary; a final pad byte may be left out.
    reader.pos += size + (size & 1 && reader.bytesLeft() > size ? 1 : 0)
    return at + size
  }

  private readCodes(aligned: boolean): void {
    const reader = this.reader
    if (aligned) {
      for (let s = 0; s < ALIGNED_SYMBOLS; s++) this.alignedLens[s] = reader.read(ALIGNED_ELEMENT_BITS)
      if (!buildDecodeTable(this.alignedLens, ALIGNED_SYMBOLS, ALIGNED_TABLE_BITS, MAX_ALIGNED_CODEWORD, this.alignedTable)) {
        throw corrupt('invalid aligned offset code')
      }
    }
    this.readLengths(this.mainLens, 0, NUM_CHARS)
    this.readLengths(this.mainLens, NUM_CHARS, this.numMain)
    this.readLengths(this.lenLens, 0, NUM_LEN_SYMBOLS)
    // An empty main code (a table of zeros) cannot describe a block of one byte or more.
    if (!buildDecodeTable(this.mainLens, this.numMain, MAIN_TABLE_BITS, MAX_MAIN_CODEWORD, this.mainTable) || this.mainTable[0] === 0) {
      throw corrupt('invalid main code')
    }
    if (!buildDecodeTable(this.lenLens, NUM_LEN_SYMBOLS, LEN_TABLE_BITS, MAX_LEN_CODEWORD, this.lenTable)) throw corrupt('invalid length code')
  }

  /**
   * Reads the precode, then with it the code lengths [start, end) of a larger code, each
   * sent as a change (mod 17) from its value in the previous block, with runs of zeros and
   * runs of one change.
   */
  private readLengths(lens: Uint8Array, start: number, end: number): void {
    const reader = this.reader
    for (let s = 0; s < PRECODE_SYMBOLS; s++) this.preLens[s] = reader.read(PRECODE_ELEMENT_BITS)
    if (!buildDecodeTable(this.preLens, PRECODE_SYMBOLS, PRE_TABLE_BITS, MAX_PRE_CODEWORD, this.preTable)) throw corrupt('invalid precode')
    let i = start
    while (i < end) {
      const sym = reader.symbol(this.preTable, PRE_TABLE_BITS)
      if (sym < 17) {
        lens[i] = (lens[i] + 17 - sym) % 17
        i++
        continue
      }
      let run: number
      let value = 0
      if (sym === 17) {
        run = 4 + reader.read(4)
      } else if (sym === 18) {
        run = 20 + reader.read(5)
      } else {
        run = 4 + reader.read(1)
        const delta = reader.symbol(this.preTable, PRE_TABLE_BITS)
        if (delta > 17) throw corrupt('run of code lengths with a run symbol as its value')
        value = (lens[i] + 17 - delta) % 17
      }
      lens.fill(value, i, i + run)
      i += run
    }
  }

  /** Decodes literals and matches into out[at, end); returns end. */
  private decodeBlock(out: Uint8Array, at: number, end: number, aligned: boolean): number {
    // Imported bindings become property reads once transpiled to CommonJS; keep them local.
    const extraBits = EXTRA_BITS
    const slotBase = SLOT_BASE
    const numChars = NUM_CHARS
    const primaryLens = NUM_PRIMARY_LENS
    const minMatch = MIN_MATCH
    const adjustment = OFFSET_ADJUSTMENT
    const reader = this.reader
    const input = reader.input
    const inputEnd = input.length - 1
    const mainTable = this.mainTable
    const lenTable = this.lenTable
    const alignedTable = this.alignedTable
    const words = this.outputWords
    const minAlignedSlot = aligned ? MIN_ALIGNED_SLOT : 0xffff
    let window = reader.window
    let count = reader.count
    let pos = reader.pos
    let r0 = this.r0
    let r1 = this.r1
    let r2 = this.r2
    while (at < end) {
      if (count < 16) {
        window |= (pos < inputEnd ? input[pos] | (input[pos + 1] << 8) : 0) << (16 - count)
        pos += 2
        count += 16
      }
      let entry = mainTable[window >>> (32 - MAIN_TABLE_BITS)]
      if (entry & 0x80) entry = mainTable[(entry >>> 8) + ((window << MAIN_TABLE_BITS) >>> (32 - (entry & 0x7f)))]
      let n = entry & 0xff
      window <<= n
      count -= n
      const sym = entry >>> 8
      if (sym < numChars) {
        out[at++] = sym
        continue
      }
      const header = sym - numChars
      let length = header & 7
      const slot = header >>> 3
      if (length === primaryLens) {
        if (count < 16) {
          window |= (pos < inputEnd ? input[pos] | (input[pos + 1] << 8) : 0) << (16 - count)
          pos += 2
          count += 16
        }
        entry = lenTable[window >>> (32 - LEN_TABLE_BITS)]
        if (entry & 0x80) entry = lenTable[(entry >>> 8) + ((window << LEN_TABLE_BITS) >>> (32 - (entry & 0x7f)))]
        n = entry & 0xff
        if (n === 0) throw corrupt('length symbol with an empty length code')
        window <<= n
        count -= n
        length += entry >>> 8
      }
      length += minMatch
      let offset: number
      if (slot === 0) {
        offset = r0
      } else if (slot === 1) {
        offset = r1
        r1 = r0
        r0 = offset
      } else if (slot === 2) {
        offset = r2
        r2 = r0
        r0 = offset
      } else {
        let extra = extraBits[slot]
        offset = slotBase[slot] - adjustment
        if (count < 16) {
          window |= (pos < inputEnd ? input[pos] | (input[pos + 1] << 8) : 0) << (16 - count)
          pos += 2
          count += 16
        }
        if (slot >= minAlignedSlot) {
          // The high bits are raw, the low 3 come from the aligned offset code.
          extra -= 3
          if (extra > 0) {
            offset += (window >>> (32 - extra)) << 3
            window <<= extra
            count -= extra
            if (count < 16) {
              window |= (pos < inputEnd ? input[pos] | (input[pos + 1] << 8) : 0) << (16 - count)
              pos += 2
              count += 16
            }
          }
          entry = alignedTable[window >>> (32 - ALIGNED_TABLE_BITS)]
          n = entry & 0xff
          if (n === 0) throw corrupt('aligned offset symbol with an empty aligned code')
          window <<= n
          count -= n
          offset += entry >>> 8
        } else if (extra > 0) {
          if (extra > 16) {
            // 17 extra bits (windows of 512 KiB and more): one now, then refill for 16.
            offset += (window >>> 31) << 16
            window <<= 1
            count -= 1
            extra = 16
            if (count < 16) {
              window |= (pos < inputEnd ? input[pos] | (input[pos + 1] << 8) : 0) << (16 - count)
              pos += 2
              count += 16
            }
          }
          offset += window >>> (32 - extra)
          window <<= extra
          count -= extra
        }
        r2 = r1
        r1 = r0
        r0 = offset
      }
      if (offset > at) throw corrupt(`match at ${at} reaches ${offset} bytes back, before the start of the chunk`)
      if (length > end - at) throw corrupt(`match of ${length} bytes at ${at} runs past the end of its block`)
      let from = at - offset
      const stop = at + length
      if (offset < 4) {
        while (at < stop) out[at++] = out[from++]
      } else if (length >= COPY_WITHIN_MIN && offset >= length) {
        out.copyWithin(at, from, stop)
        at = stop
      } else {
        // Four bytes at a time, each read after the writes it depends on (offset >= 4); the
        // last may write up to 3 bytes past the match, into the slack or what comes next.
        do {
          words.setInt32(at, words.getInt32(from, true), true)
          at += 4
          from += 4
        } while (at < stop)
        at = stop
      }
    }
    reader.window = window
    reader.count = count
    reader.pos = pos
    this.r0 = r0
    this.r1 = r1
    this.r2 = r2
    return at
  }
}
