/**
 * What the near-optimal parser believes each symbol costs, in 1/64 bit. The first pass of a
 * block has only rough statistics (from a greedy look at the matches found), later passes
 * use the code lengths the previous pass produced.
 */
import {
  ALIGNED_SYMBOLS,
  EXTRA_BITS,
  MIN_ALIGNED_SLOT,
  NUM_ALIGNED_BITS,
  NUM_CHARS,
  NUM_LEN_HEADERS,
  NUM_LEN_SYMBOLS,
  NUM_PRIMARY_LENS,
} from './constants'
import type { Frequencies } from './frequencies'

export const BIT_COST = 64
/** Match lengths MIN_MATCH..MAX_MATCH per offset slot in the match cost table. */
export const LENGTHS_PER_SLOT = 256

/** Code lengths 0..17 written one base-36 digit each. */
function digits(text: string): Uint8Array {
  return Uint8Array.from(text.replace(/ /g, ''), (d) => parseInt(d, 36))
}

/**
 * Typical code lengths of the match headers (8 per offset slot, slots 0..29; larger slots
 * take the last row) and of the length symbols, so that a single parse starts from costs
 * close to what its own codes will be. They are the average lengths our two-pass parse
 * produced over x86 binaries, shared libraries, source code and text in 32 KiB chunks
 * (17 for a symbol a block did not use).
 */
const MATCH_PRIOR = digits(
  '98abb9b6 baccccb9 cbdeedca efggfgfe cghhhhhh bdfhhghg badeeefg bbceffee cabcdddc cacddddb cabccccb cabcccca c9abcbb9 dabcdcba daabccb9 ' +
    'eabcccb9 ebabcbb9 fbbcccca fbabccb9 gcbcccba gcbbcbb9 gdbcccca gdbcccca hdccddcb hdccdccb hedddddc hedddddc hfeeeeed hfeeffee hhgggggf',
)
const LENGTH_PRIOR = digits(
  '654666578979988abbbbcbbcddddeddefeffffffeffffffffffgffgggggggfggggggggggggggggghhgghggghhhhhhghhhhhhhhhhhhhhhhhhhhhhhhhghhhhhhhhhhhh' +
    'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhc',
)

/** Cost of a symbol of estimated probability `p`: at least one bit, as in any Huffman code. */
function costOf(p: number): number {
  return Math.max(BIT_COST, Math.round(-Math.log2(p) * BIT_COST))
}

/** The costs the parser reads, where it reads them (see NearOptimalParser.costTables). */
export interface CostTables {
  /** By main symbol: literals, then match headers. */
  main: Int32Array
  /**
   * Cost of a match by offset slot and length, at slot * LENGTHS_PER_SLOT + length - 2:
   * main symbol, length symbol and raw offset bits; not the aligned symbol, which depends
   * on the offset's low bits and is added apart.
   */
  match: Int32Array
  aligned: Int32Array
}

export class CostModel {
  readonly main: Int32Array
  readonly len = new Int32Array(NUM_LEN_SYMBOLS)
  readonly aligned: Int32Array
  readonly match: Int32Array
  private readonly numMain: number
  private readonly numSlots: number

  /** Costs of `numMain` main symbols, kept in `tables`. */
  constructor(numMain: number, tables: CostTables) {
    this.numMain = numMain
    this.numSlots = (numMain - NUM_CHARS) / NUM_LEN_HEADERS
    this.main = tables.main
    this.match = tables.match
    this.aligned = tables.aligned
  }

  /**
   * First-pass costs. Literals: their frequency in a greedy look at the block (in
   * `freqs.main`), blended with a prior that shrinks as more distinct literals appear.
   * Match headers and length symbols: typical code lengths (MATCH_PRIOR, LENGTH_PRIOR).
   * Aligned symbols: the low 3 bits of the greedy look's offsets (in `freqs.aligned`).
   */
  setInitial(freqs: Frequencies): void {
    const matches = freqs.main[NUM_CHARS]
    let literals = 0
    let distinct = 0
    for (let c = 0; c < NUM_CHARS; c++) {
      literals += freqs.main[c]
      if (freqs.main[c]) distinct++
    }
    const prior = 2 ** (-(304 + distinct) / 64)
    const perItem = 1 / (literals + matches)
    for (let c = 0; c < NUM_CHARS; c++) {
      const f = freqs.main[c]
      this.main[c] = f ? costOf(0.5 * (f * perItem + prior)) : 11 * BIT_COST
    }
    const priorSlots = MATCH_PRIOR.length / NUM_LEN_HEADERS
    for (let slot = 0; slot < this.numSlots; slot++) {
      const row = Math.min(slot, priorSlots - 1) * NUM_LEN_HEADERS
      for (let h = 0; h < NUM_LEN_HEADERS; h++) this.main[NUM_CHARS + slot * NUM_LEN_HEADERS + h] = MATCH_PRIOR[row + h] * BIT_COST
    }
    for (let s = 0; s < NUM_LEN_SYMBOLS; s++) this.len[s] = LENGTH_PRIOR[s] * BIT_COST
    for (let a = 0; a < ALIGNED_SYMBOLS; a++) {
      const f = freqs.aligned[a]
      this.aligned[a] = f ? costOf(f / matches) : 2 * NUM_ALIGNED_BITS * BIT_COST
    }
  }

  /** Costs from the code lengths of the previous pass; unused symbols get the longest codeword. */
  setFromLengths(mainLens: Uint8Array, lenLens: Uint8Array, alignedLens: Uint8Array, maxMain: number, maxLen: number, maxAligned: number): void {
    for (let s = 0; s < this.numMain; s++) this.main[s] = (mainLens[s] || maxMain) * BIT_COST
    for (let s = 0; s < NUM_LEN_SYMBOLS; s++) this.len[s] = (lenLens[s] || maxLen) * BIT_COST
    for (let a = 0; a < ALIGNED_SYMBOLS; a++) this.aligned[a] = (alignedLens[a] || maxAligned) * BIT_COST
  }

  /**
   * How far these costs were from the code lengths the parse they guided produced: the
   * bits misjudged per bit spent, over the main and length symbols it used.
   */
  mismatch(freqs: Frequencies, mainLens: Uint8Array, lenLens: Uint8Array): number {
    let spent = 0
    let misjudged = 0
    for (let s = 0; s < this.numMain; s++) {
      const f = freqs.main[s]
      spent += f * mainLens[s]
      misjudged += f * Math.abs(this.main[s] / BIT_COST - mainLens[s])
    }
    const lenSymbols = NUM_LEN_SYMBOLS
    for (let s = 0; s < lenSymbols; s++) {
      const f = freqs.len[s]
      spent += f * lenLens[s]
      misjudged += f * Math.abs(this.len[s] / BIT_COST - lenLens[s])
    }
    return misjudged / spent
  }

  /** Fills the match cost table from the main and length symbol costs. */
  computeMatchCosts(): void {
    const { main, len, match } = this
    // Imported bindings become property reads once transpiled to CommonJS; keep them local.
    const primaryLens = NUM_PRIMARY_LENS
    const lenSymbols = NUM_LEN_SYMBOLS
    for (let slot = 0; slot < this.numSlots; slot++) {
      let extra = EXTRA_BITS[slot] * BIT_COST
      if (slot >= MIN_ALIGNED_SLOT) extra -= NUM_ALIGNED_BITS * BIT_COST
      const sym = NUM_CHARS + slot * NUM_LEN_HEADERS
      const row = slot * LENGTHS_PER_SLOT
      for (let h = 0; h < primaryLens; h++) match[row + h] = main[sym + h] + extra
      const long = main[sym + primaryLens] + extra
      for (let s = 0; s < lenSymbols; s++) match[row + primaryLens + s] = long + len[s]
    }
  }
}
