/**
 * Near-optimal parsing of one block: a minimum-cost path from the block's first byte to its
 * end through a graph whose edges are literals and matches, priced by a CostModel.
 *
 * Nodes are visited in order; each one's cheapest arrival is final when it is reached, and
 * fixes the recent offsets queue there. From each node the parser tries the literal, the
 * three recent offsets at the lengths no earlier candidate reached (a recent offset is
 * cheaper than any explicit one), and the cached matches at every length each is the
 * shortest-offset match for. From the longest match it also tries a "gap match": that match,
 * one literal, and the same offset again, which one-step lookahead would otherwise miss.
 * The recent offsets make this an approximation: a costlier prefix might leave a queue that
 * pays off later. The result is walked backwards to count symbols and list the sequences.
 */
import { ALIGNED_SYMBOLS, NUM_RECENT_OFFSETS } from './constants'
import { LENGTHS_PER_SLOT, type CostTables } from './costs'
import type { Frequencies } from './frequencies'
import type { LzxCompressorKernel } from './kernel'

/** An item is: length (0 for a literal) | value << 9 | gap flag (the sign bit); as parser.as.ts makes them. */
const VALUE_SHIFT = 9
const LENGTH_MASK = (1 << VALUE_SHIFT) - 1
const GAP_FLAG = 1 << 31

/** The chosen literals and matches of a block, as runs of literals each followed by a match. */
export class Sequences {
  /** Literals before the match. */
  readonly literals: Uint32Array
  /** Match length, 0 for the final run that no match follows. */
  readonly length: Uint16Array
  /** Recent offset index 0..2, or offset + 2. */
  readonly adjusted: Uint32Array
  readonly mainSymbol: Uint16Array
  /** Index of the block's first sequence: they fill the arrays up to the end. */
  first = 0

  constructor(maxBlock: number) {
    const capacity = (maxBlock >> 1) + 2
    this.literals = new Uint32Array(capacity)
    this.length = new Uint16Array(capacity)
    this.adjusted = new Uint32Array(capacity)
    this.mainSymbol = new Uint16Array(capacity)
  }
}

export class NearOptimalParser {
  /** Each node's cheapest arrival, as an item, as the last path search left it. */
  private readonly item: Int32Array
  /** For a node reached by a gap match: the explicit match before the gap, as an item. */
  private readonly gapMatch: Uint32Array
  private readonly recent: Int32Array
  /** Where the path search reads the costs of symbols: the tables a CostModel fills. */
  readonly costTables: CostTables
  /** Recent offsets at the end of the last path found. */
  r0 = 1
  r1 = 1
  r2 = 1

  /** `maxBlock`, `numMain` and `numSlots` as the kernel was set up with. */
  constructor(
    private readonly kernel: LzxCompressorKernel,
    maxBlock: number,
    numMain: number,
    numSlots: number,
  ) {
    const { buffer } = kernel.memory
    this.item = new Int32Array(buffer, kernel.itemAddress(), maxBlock + 1)
    this.gapMatch = new Uint32Array(buffer, kernel.gapMatchAddress(), maxBlock + 1)
    this.recent = new Int32Array(buffer, kernel.recentAddress(), NUM_RECENT_OFFSETS)
    this.costTables = {
      main: new Int32Array(buffer, kernel.mainCostAddress(), numMain),
      match: new Int32Array(buffer, kernel.matchCostAddress(), numSlots * LENGTHS_PER_SLOT),
      aligned: new Int32Array(buffer, kernel.alignedCostAddress(), ALIGNED_SYMBOLS),
    }
  }

  /**
   * Finds the path through positions [start, start + size) of the match finder's chunk, with
   * the matches cached for them from index 0 (per position: a count, then that many matches
   * as MatchFinder caches them) and the costs in costTables, starting with recent offsets
   * r0..r2; leaves the offsets at its end in this.r0..r2. The search runs in the kernel
   * (parser.as.ts).
   */
  findPath(start: number, size: number, r0: number, r1: number, r2: number): void {
    this.kernel.findPath(start, size, r0, r1, r2)
    const { recent } = this
    this.r0 = recent[0]
    this.r1 = recent[1]
    this.r2 = recent[2]
  }

  /**
   * Walks the path of the last findPath() back from the block's end, counting its symbols
   * into `freqs` and listing its sequences in `out`.
   */
  walk(size: number, freqs: Frequencies, slots: Uint8Array, out: Sequences): void {
    const { item, gapMatch } = this
    const main = freqs.main
    const recentOffsets = NUM_RECENT_OFFSETS
    let k = out.literals.length - 1
    out.length[k] = 0
    let literalsEnd = size
    let j = size
    for (;;) {
      while (j > 0 && (item[j] & LENGTH_MASK) === 0) {
        main[item[j] >>> VALUE_SHIFT]++
        j--
      }
      if (j === 0) break
      let it = item[j]
      if (it & GAP_FLAG) {
        const repLength = it & LENGTH_MASK
        const sym = freqs.tallyMatch(repLength, 0, 0)
        out.literals[k--] = literalsEnd - j
        out.length[k] = repLength
        out.adjusted[k] = 0
        out.mainSymbol[k] = sym
        literalsEnd = j - repLength
        main[(it >>> VALUE_SHIFT) & 0xff]++
        it = gapMatch[j]
        j -= repLength + 1
      }
      const length = it & LENGTH_MASK
      const value = it >>> VALUE_SHIFT
      const sym = freqs.tallyMatch(length, value, value < recentOffsets ? value : slots[value])
      out.literals[k--] = literalsEnd - j
      out.length[k] = length
      out.adjusted[k] = value
      out.mainSymbol[k] = sym
      literalsEnd = j - length
      j -= length
    }
    out.literals[k] = literalsEnd
    out.first = k
  }
}
