import { MAX_CODEWORD_LENGTH } from './constants'

/** Symbol numbers fit in the low bits of a sort key, under the frequency. */
const SYMBOL_BITS = 10
/**
 * A frequency never reaches 2^12: it gains at most one rebuild period (1024) between two
 * halvings, so it stays below 2 * 1025, whatever the input. Two radix passes of 6 bits sort it.
 */
const DIGIT_BITS = 6
const DIGIT_MASK = (1 << DIGIT_BITS) - 1

/**
 * Codeword lengths of an LZMS code. They are never transmitted: encoder and decoder rebuild the
 * code from the same frequencies, so both must build exactly the same one. The format fixes it
 * as the classic Huffman construction over the symbols sorted by (frequency, symbol), where a
 * leaf wins a frequency tie against an internal node, and the lengths then dealt out along that
 * order, longest first. Codes deeper than 15 bits cannot arise from LZMS's bounded frequencies;
 * should one anyway, the overlong branches are folded in as wimlib does, so we still agree.
 */
export class CodeLengthBuilder {
  /** (frequency << SYMBOL_BITS | symbol), sorted; and the first pass of that sort. */
  private readonly keys: Uint32Array
  private readonly pass: Uint32Array
  private readonly buckets = new Uint32Array(1 << DIGIT_BITS)
  private readonly nodeFreq: Uint32Array
  private readonly parent: Uint16Array
  private readonly depth: Uint16Array
  private readonly lengthCounts = new Uint32Array(MAX_CODEWORD_LENGTH + 1)

  constructor(maxSymbols: number) {
    this.keys = new Uint32Array(maxSymbols)
    this.pass = new Uint32Array(maxSymbols)
    this.nodeFreq = new Uint32Array(maxSymbols)
    this.parent = new Uint16Array(maxSymbols)
    this.depth = new Uint16Array(maxSymbols)
  }

  /**
   * Fills lengths[0, numSymbols). Every frequency must be at least 1, as LZMS keeps them.
   * A code needs two symbols: for fewer (chunks of one or two bytes), symbols 0 and 1 both get
   * one bit, and the decoder's range checks refuse the symbol that does not exist.
   */
  build(freqs: Uint32Array, numSymbols: number, lengths: Uint8Array): void {
    if (numSymbols < 2) {
      lengths[0] = 1
      lengths[1] = 1
      return
    }
    const n = numSymbols
    const keys = this.keys
    this.sortByFrequency(freqs, n)

    // Two queues, both in rising frequency: the sorted leaves, and the internal nodes in the
    // order they are made. Internal node k gets a parent index > k, the root is n - 2.
    const nodeFreq = this.nodeFreq
    const parent = this.parent
    let leaf = 0
    let head = 0
    for (let node = 0; node < n - 1; node++) {
      let sum = 0
      for (let pick = 0; pick < 2; pick++) {
        if (leaf < n && (head === node || keys[leaf]! >>> SYMBOL_BITS <= nodeFreq[head]!)) {
          sum += keys[leaf++]! >>> SYMBOL_BITS
        } else {
          sum += nodeFreq[head]!
          parent[head++] = node
        }
      }
      nodeFreq[node] = sum
    }

    // Leaves per depth, from the internal nodes alone: start from the root with two leaf
    // children; each internal node below turns one leaf of its depth into two one deeper.
    const counts = this.lengthCounts
    const depth = this.depth
    counts.fill(0)
    counts[1] = 2
    const root = n - 2
    depth[root] = 0
    for (let node = root - 1; node >= 0; node--) {
      const d = depth[parent[node]!]! + 1
      depth[node] = d
      let len = d
      if (len >= MAX_CODEWORD_LENGTH) {
        len = MAX_CODEWORD_LENGTH - 1
        while (counts[len] === 0) len--
      }
      counts[len]!--
      counts[len + 1]! += 2
    }

    // The least frequent symbols take the longest codewords.
    let i = 0
    for (let len = MAX_CODEWORD_LENGTH; len >= 1; len--) {
      for (let c = counts[len]!; c > 0; c--) lengths[keys[i++]! & ((1 << SYMBOL_BITS) - 1)] = len
    }
  }

  /**
   * keys[0, n) = the symbols by rising (frequency, symbol): a stable radix sort on the
   * frequency of symbols taken in symbol order. Keys are distinct, so this is the one order.
   */
  private sortByFrequency(freqs: Uint32Array, n: number): void {
    const { keys, pass, buckets } = this
    buckets.fill(0)
    for (let s = 0; s < n; s++) buckets[freqs[s]! & DIGIT_MASK]!++
    for (let d = 0, at = 0; d <= DIGIT_MASK; d++) {
      const count = buckets[d]!
      buckets[d] = at
      at += count
    }
    for (let s = 0; s < n; s++) pass[buckets[freqs[s]! & DIGIT_MASK]!++] = (freqs[s]! << SYMBOL_BITS) | s
    buckets.fill(0)
    for (let i = 0; i < n; i++) buckets[pass[i]! >>> (SYMBOL_BITS + DIGIT_BITS)]!++
    for (let d = 0, at = 0; d <= DIGIT_MASK; d++) {
      const count = buckets[d]!
      buckets[d] = at
      at += count
    }
    for (let i = 0; i < n; i++) {
      const key = pass[i]!
      keys[buckets[key >>> (SYMBOL_BITS + DIGIT_BITS)]!++] = key
    }
  }
}

/**
 * The frequency bookkeeping an LZMS code shares between encoder and decoder: every symbol
 * starts at frequency 1; after `period` symbols the code is rebuilt from the counts, which are
 * then halved (plus one, so none reaches 0) to follow recent data.
 */
export abstract class AdaptiveCode {
  readonly freqs: Uint32Array
  readonly lengths: Uint8Array
  numSymbols = 0
  /** Symbols left before the next rebuild. */
  remaining = 0

  constructor(
    maxSymbols: number,
    private readonly period: number,
    private readonly builder: CodeLengthBuilder,
  ) {
    // Room for two symbols even in the degenerate codes (see CodeLengthBuilder.build).
    this.freqs = new Uint32Array(Math.max(2, maxSymbols))
    this.lengths = new Uint8Array(Math.max(2, maxSymbols))
  }

  /** Starts a chunk with `numSymbols` symbols of frequency 1. */
  reset(numSymbols: number): void {
    this.numSymbols = numSymbols
    this.freqs.fill(1)
    this.build()
  }

  /** Rebuilds the code from the counts so far, then halves them. */
  rebuild(): void {
    this.build()
    const freqs = this.freqs
    for (let s = 0; s < this.numSymbols; s++) freqs[s] = (freqs[s]! >>> 1) + 1
  }

  private build(): void {
    this.builder.build(this.freqs, this.numSymbols, this.lengths)
    this.remaining = this.period
    this.codeChanged(Math.max(2, this.numSymbols))
  }

  /** Derives what the coder needs (a decode table, codewords) from the new lengths. */
  protected abstract codeChanged(numSymbols: number): void
}
