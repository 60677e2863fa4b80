/**
 * Writes one block: builds its Huffman codes from the symbol counts, sends their code
 * lengths (as changes from the previous block's, through a precode), then the literals and
 * matches. An aligned offset block is chosen when its extra code pays for itself, and an
 * uncompressed block when the data did not shrink (a run of random bytes inside a chunk).
 */
import { buildLengthLimitedCode, canonicalCodes } from '../huffman'
import type { BitWriter } from './bit-writer'
import {
  ALIGNED_ELEMENT_BITS,
  ALIGNED_SYMBOLS,
  BLOCK_ALIGNED,
  BLOCK_UNCOMPRESSED,
  BLOCK_VERBATIM,
  DEFAULT_BLOCK_SIZE,
  EXTRA_BITS,
  MAX_ALIGNED_CODEWORD,
  MAX_MAIN_CODEWORD,
  MIN_ALIGNED_SLOT,
  MIN_SECONDARY_LEN,
  NUM_ALIGNED_BITS,
  NUM_CHARS,
  NUM_LEN_HEADERS,
  NUM_LEN_SYMBOLS,
  NUM_RECENT_OFFSETS,
  PRECODE_ELEMENT_BITS,
  PRECODE_SYMBOLS,
  SLOT_BASE,
} from './constants'
import type { Frequencies } from './frequencies'
import type { Sequences } from './parser'

/**
 * Longest codewords we write: wimlib's limits, whose output Microsoft's decoders are known to
 * read (the format would allow 16 bits for the length code and 15 for the precode).
 */
export const MAIN_LIMIT = MAX_MAIN_CODEWORD
export const LENGTH_LIMIT = 12
export const ALIGNED_LIMIT = MAX_ALIGNED_CODEWORD
const PRECODE_LIMIT = 7
const ZERO_BYTE = new Uint8Array(1)

export class BlockWriter {
  readonly mainLens: Uint8Array
  readonly lenLens = new Uint8Array(NUM_LEN_SYMBOLS)
  readonly alignedLens = new Uint8Array(ALIGNED_SYMBOLS)
  private readonly numMain: number
  private readonly wideSizes: boolean
  private readonly prevMainLens: Uint8Array
  private readonly prevLenLens = new Uint8Array(NUM_LEN_SYMBOLS)
  private readonly mainCodes: Uint32Array
  private readonly lenCodes = new Uint32Array(NUM_LEN_SYMBOLS)
  private readonly alignedCodes = new Uint32Array(ALIGNED_SYMBOLS)
  private readonly preFreqs = new Uint32Array(PRECODE_SYMBOLS)
  private readonly preLens = new Uint8Array(PRECODE_SYMBOLS)
  private readonly preCodes = new Uint32Array(PRECODE_SYMBOLS)
  /** Precode items of one code: symbol | extra bits << 5 | (for symbol 19) change << 10. */
  private readonly items: Uint16Array

  constructor(numMain: number, wideSizes: boolean) {
    this.numMain = numMain
    this.wideSizes = wideSizes
    this.mainLens = new Uint8Array(numMain)
    this.prevMainLens = new Uint8Array(numMain)
    this.mainCodes = new Uint32Array(numMain)
    this.items = new Uint16Array(numMain)
  }

  /** A chunk's first block sends its code lengths as changes from zeros. */
  startChunk(): void {
    this.prevMainLens.fill(0)
    this.prevLenLens.fill(0)
  }

  /** Code lengths for the counted symbols (the parser also uses them as its next costs). */
  buildLengths(freqs: Frequencies): void {
    buildLengthLimitedCode(freqs.main, this.numMain, MAIN_LIMIT, this.mainLens)
    buildLengthLimitedCode(freqs.len, NUM_LEN_SYMBOLS, LENGTH_LIMIT, this.lenLens)
    buildLengthLimitedCode(freqs.aligned, ALIGNED_SYMBOLS, ALIGNED_LIMIT, this.alignedLens)
  }

  /**
   * Writes data[start, start + size) as the sequences say, with the code lengths of the
   * last buildLengths(freqs), compressed, or uncompressed if that is smaller; r0..r2 are
   * the recent offsets at the block's start. Returns whether the block went out compressed
   * (if not, the recent offsets stay r0..r2).
   */
  write(writer: BitWriter, data: Uint8Array, start: number, size: number, seqs: Sequences, freqs: Frequencies, r0: number, r1: number, r2: number): boolean {
    canonicalCodes(this.mainLens, this.numMain, MAIN_LIMIT, this.mainCodes)
    canonicalCodes(this.lenLens, NUM_LEN_SYMBOLS, LENGTH_LIMIT, this.lenCodes)
    canonicalCodes(this.alignedLens, ALIGNED_SYMBOLS, ALIGNED_LIMIT, this.alignedCodes)
    let alignedBits = ALIGNED_SYMBOLS * ALIGNED_ELEMENT_BITS
    let verbatimBits = 0
    for (let a = 0; a < ALIGNED_SYMBOLS; a++) {
      alignedBits += this.alignedLens[a] * freqs.aligned[a]
      verbatimBits += NUM_ALIGNED_BITS * freqs.aligned[a]
    }
    const type = alignedBits < verbatimBits ? BLOCK_ALIGNED : BLOCK_VERBATIM

    writer.save()
    const startBits = writer.pos * 8 + writer.count
    this.writeHeader(writer, type, size)
    const headerBits = writer.pos * 8 + writer.count - startBits
    this.writeCompressed(writer, type === BLOCK_ALIGNED, data, start, seqs)
    const compressedBits = writer.pos * 8 + writer.count - startBits
    const pad = 16 - ((startBits + headerBits) & 15)
    const uncompressedBits = headerBits + pad + 8 * (12 + size + (size & 1))
    if (!writer.overflowed && compressedBits <= uncompressedBits) {
      this.prevMainLens.set(this.mainLens)
      this.prevLenLens.set(this.lenLens)
      return true
    }
    writer.restore()
    this.writeHeader(writer, BLOCK_UNCOMPRESSED, size)
    writer.padToWord()
    writer.putU32(r0)
    writer.putU32(r1)
    writer.putU32(r2)
    writer.putBytes(data.subarray(start, start + size))
    if (size & 1) writer.putBytes(ZERO_BYTE)
    return false
  }

  private writeHeader(writer: BitWriter, type: number, size: number): void {
    writer.put(type, 3)
    if (size === DEFAULT_BLOCK_SIZE) {
      writer.put(1, 1)
      return
    }
    writer.put(0, 1)
    if (this.wideSizes) writer.put(size >>> 16, 8)
    writer.put(size & 0xffff, 16)
  }

  private writeCompressed(writer: BitWriter, aligned: boolean, data: Uint8Array, start: number, seqs: Sequences): void {
    if (aligned) for (let a = 0; a < ALIGNED_SYMBOLS; a++) writer.put(this.alignedLens[a], ALIGNED_ELEMENT_BITS)
    this.writeLengths(writer, this.mainLens, this.prevMainLens, 0, NUM_CHARS)
    this.writeLengths(writer, this.mainLens, this.prevMainLens, NUM_CHARS, this.numMain)
    this.writeLengths(writer, this.lenLens, this.prevLenLens, 0, NUM_LEN_SYMBOLS)
    this.writeSequences(writer, aligned, data, start, seqs)
  }

  /**
   * Sends lens[start, end) as changes from prev (mod 17) through a precode: runs of 4 to 51
   * zeros as symbols 17 and 18, runs of 4 or 5 equal lengths as symbol 19 and one change.
   */
  private writeLengths(writer: BitWriter, lens: Uint8Array, prev: Uint8Array, start: number, end: number): void {
    const { items, preFreqs, preLens, preCodes } = this
    preFreqs.fill(0)
    let n = 0
    let i = start
    while (i < end) {
      const len = lens[i]
      let runEnd = i + 1
      while (runEnd < end && lens[runEnd] === len) runEnd++
      if (len === 0) {
        while (runEnd - i >= 20) {
          const extra = Math.min(runEnd - i - 20, 31)
          preFreqs[18]++
          items[n++] = 18 | (extra << 5)
          i += 20 + extra
        }
        if (runEnd - i >= 4) {
          const extra = Math.min(runEnd - i - 4, 15)
          preFreqs[17]++
          items[n++] = 17 | (extra << 5)
          i += 4 + extra
        }
      } else {
        while (runEnd - i >= 4) {
          const extra = runEnd - i > 4 ? 1 : 0
          const change = (prev[i] - len + 17) % 17
          preFreqs[19]++
          preFreqs[change]++
          items[n++] = 19 | (extra << 5) | (change << 10)
          i += 4 + extra
        }
      }
      for (; i < runEnd; i++) {
        const change = (prev[i] - len + 17) % 17
        preFreqs[change]++
        items[n++] = change
      }
    }
    buildLengthLimitedCode(preFreqs, PRECODE_SYMBOLS, PRECODE_LIMIT, preLens)
    canonicalCodes(preLens, PRECODE_SYMBOLS, PRECODE_LIMIT, preCodes)
    for (let s = 0; s < PRECODE_SYMBOLS; s++) writer.put(preLens[s], PRECODE_ELEMENT_BITS)
    for (let k = 0; k < n; k++) {
      const item = items[k]
      const sym = item & 31
      writer.put(preCodes[sym], preLens[sym])
      if (sym === 17) {
        writer.put(item >>> 5, 4)
      } else if (sym === 18) {
        writer.put(item >>> 5, 5)
      } else if (sym === 19) {
        writer.put((item >>> 5) & 1, 1)
        const change = item >>> 10
        writer.put(preCodes[change], preLens[change])
      }
    }
  }

  private writeSequences(writer: BitWriter, aligned: boolean, data: Uint8Array, start: number, seqs: Sequences): void {
    const { mainLens, mainCodes, lenLens, lenCodes, alignedLens, alignedCodes } = this
    // Imported bindings become property reads once transpiled to CommonJS; keep them local.
    const extraBits = EXTRA_BITS
    const slotBase = SLOT_BASE
    const secondaryMin = MIN_SECONDARY_LEN
    const recentOffsets = NUM_RECENT_OFFSETS
    const numChars = NUM_CHARS
    const lenHeaders = NUM_LEN_HEADERS
    const alignedBits = NUM_ALIGNED_BITS
    const minAlignedSlot = aligned ? MIN_ALIGNED_SLOT : 0xffff
    const count = seqs.literals.length
    let at = start
    for (let k = seqs.first; k < count; k++) {
      const stop = at + seqs.literals[k]
      while (at < stop) {
        const lit = data[at++]
        writer.put(mainCodes[lit], mainLens[lit])
      }
      const length = seqs.length[k]
      if (length === 0) break
      at += length
      const sym = seqs.mainSymbol[k]
      writer.put(mainCodes[sym], mainLens[sym])
      if (length >= secondaryMin) writer.put(lenCodes[length - secondaryMin], lenLens[length - secondaryMin])
      const adjusted = seqs.adjusted[k]
      if (adjusted < recentOffsets) continue
      const slot = Math.trunc((sym - numChars) / lenHeaders)
      const extra = extraBits[slot]
      const bits = adjusted - slotBase[slot]
      if (slot >= minAlignedSlot) {
        writer.put(bits >>> alignedBits, extra - alignedBits)
        writer.put(alignedCodes[adjusted & 7], alignedLens[adjusted & 7])
      } else if (extra > 16) {
        writer.put(bits >>> 16, extra - 16)
        writer.put(bits & 0xffff, 16)
      } else {
        writer.put(bits, extra)
      }
    }
  }
}
