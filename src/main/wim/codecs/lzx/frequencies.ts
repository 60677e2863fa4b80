/** Symbol counts of one block, from which its Huffman codes are built. */
import { ALIGNED_SYMBOLS, MIN_ALIGNED_SLOT, MIN_MATCH, MIN_SECONDARY_LEN, NUM_CHARS, NUM_LEN_HEADERS, NUM_LEN_SYMBOLS, NUM_PRIMARY_LENS, SLOT_BASE } from './constants'

// Module copies of the format numbers tallyMatch needs on every match: imported bindings
// become property reads once transpiled to CommonJS.
const MATCH_MIN = MIN_MATCH
const SECONDARY_MIN = MIN_SECONDARY_LEN
const PRIMARY_LENS = NUM_PRIMARY_LENS
const CHARS = NUM_CHARS
const LEN_HEADERS = NUM_LEN_HEADERS
/** Adjusted offsets from here on have their low 3 bits in the aligned offset code (in aligned blocks). */
const MIN_ALIGNED_ADJUSTED = SLOT_BASE[MIN_ALIGNED_SLOT]

export class Frequencies {
  readonly main: Uint32Array
  readonly len = new Uint32Array(NUM_LEN_SYMBOLS)
  readonly aligned = new Uint32Array(ALIGNED_SYMBOLS)

  constructor(numMain: number) {
    this.main = new Uint32Array(numMain)
  }

  reset(): void {
    this.main.fill(0)
    this.len.fill(0)
    this.aligned.fill(0)
  }

  /**
   * Counts the symbols of a match of `length` bytes at `adjusted` (a recent offset index
   * 0..2, or the offset + 2) whose offset slot is `slot`; returns its main symbol.
   */
  tallyMatch(length: number, adjusted: number, slot: number): number {
    let header = length - MATCH_MIN
    if (length >= SECONDARY_MIN) {
      this.len[length - SECONDARY_MIN]++
      header = PRIMARY_LENS
    }
    const sym = CHARS + slot * LEN_HEADERS + header
    this.main[sym]++
    if (adjusted >= MIN_ALIGNED_ADJUSTED) this.aligned[adjusted & 7]++
    return sym
  }
}
