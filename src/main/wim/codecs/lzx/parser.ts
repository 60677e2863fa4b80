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
import type { CostModel } from './costs'
import { LENGTHS_PER_SLOT } from './costs'
import type { Frequencies } from './frequencies'
import { ADJUSTED_MASK, SLOT_SHIFT } from './match-finder'
import { MAX_MATCH, MIN_ALIGNED_SLOT, MIN_MATCH, NUM_RECENT_OFFSETS, OFFSET_ADJUSTMENT, SLOT_BASE } from './constants'

/** An item is: length (0 for a literal) | value << 9 | gap flag (the sign bit). */
const VALUE_SHIFT = 9
const LENGTH_MASK = (1 << VALUE_SHIFT) - 1
const GAP_FLAG = 1 << 31
const INFINITE_COST = 0x7fffffff

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
  private readonly cost: Int32Array
  private readonly item: Int32Array
  /** For a node reached by a gap match: the explicit match before the gap, as an item. */
  private readonly gapMatch: Uint32Array
  /**
   * Recent offsets: the queue at node i is q0..q2[queueAt[i]]. A literal keeps the queue, so
   * only a match stores a new one (at the node it reaches); the others point back.
   */
  private readonly queueAt: Int32Array
  private readonly q0: Int32Array
  private readonly q1: Int32Array
  private readonly q2: Int32Array
  /** Recent offsets at the end of the last path found. */
  r0 = 1
  r1 = 1
  r2 = 1

  constructor(maxBlock: number) {
    this.cost = new Int32Array(maxBlock + 1)
    this.item = new Int32Array(maxBlock + 1)
    this.gapMatch = new Uint32Array(maxBlock + 1)
    this.queueAt = new Int32Array(maxBlock + 1)
    this.q0 = new Int32Array(maxBlock + 1)
    this.q1 = new Int32Array(maxBlock + 1)
    this.q2 = new Int32Array(maxBlock + 1)
  }

  /**
   * Finds the path through bytes [start, start + size) of a buffer (given as the 32-bit
   * word at each position, see MatchFinder.words) with the matches cached for it from
   * index 0 (per position: a count, then that many matches as MatchFinder caches them),
   * starting with recent offsets r0..r2; leaves the offsets at its end in this.r0..r2.
   */
  findPath(
    words: Int32Array,
    start: number,
    size: number,
    cacheLengths: Uint16Array,
    cacheOffsets: Int32Array,
    costs: CostModel,
    r0: number,
    r1: number,
    r2: number,
  ): void {
    const { cost, item, gapMatch, queueAt, q0, q1, q2 } = this
    const matchCost = costs.match
    const mainCost = costs.main
    const alignedCost = costs.aligned
    // Imported bindings become property reads once transpiled to CommonJS; keep them local.
    const maxMatch = MAX_MATCH
    const minMatch = MIN_MATCH
    const recentOffsets = NUM_RECENT_OFFSETS
    const lengthsPerSlot = LENGTHS_PER_SLOT
    const minAlignedAdjusted = SLOT_BASE[MIN_ALIGNED_SLOT]
    const adjustment = OFFSET_ADJUSTMENT
    const adjustedMask = ADJUSTED_MASK
    const slotShift = SLOT_SHIFT
    cost.fill(INFINITE_COST, 1, size + 1)
    cost[0] = 0
    queueAt[0] = 0
    q0[0] = r0
    q1[0] = r1
    q2[0] = r2
    let c = 0
    for (let i = 0; i < size; i++) {
      const p = start + i
      const word = words[p]
      const count = cacheLengths[c++]
      const here = cost[i]
      const qi = queueAt[i]
      const maxLength = Math.min(size - i, maxMatch)
      if (count > 0 && maxLength >= minMatch) {
        const matchesEnd = c + count
        let next = minMatch
        matches: {
          // Recent offsets, each only for lengths beyond what the ones before it reached.
          for (let r = 0; r < recentOffsets; r++) {
            const m = p - (r === 0 ? q0[qi] : r === 1 ? q1[qi] : q2[qi])
            let diff = words[m] ^ word
            if ((diff & 0xffff) !== 0) continue
            // Its length, four bytes at a time (the first difference is the lowest set byte).
            let length = 0
            while (diff === 0 && (length += 4) < maxLength) diff = words[m + length] ^ words[p + length]
            if (length < maxLength) length += (31 - Math.clz32(diff & -diff)) >>> 3
            if (length > maxLength) length = maxLength
            if (length < next) continue
            const row = r * lengthsPerSlot - minMatch
            const value = r << VALUE_SHIFT
            for (; next <= length; next++) {
              const total = here + matchCost[row + next]
              if (total <= cost[i + next]) {
                cost[i + next] = total
                item[i + next] = value | next
              }
            }
            if (next > maxLength) {
              c = matchesEnd
              break matches
            }
          }
          while (next > cacheLengths[c]) {
            if (++c === matchesEnd) break matches
          }
          for (;;) {
            const cached = cacheOffsets[c]
            const adjusted = cached & adjustedMask
            const row = (cached >>> slotShift) * lengthsPerSlot - minMatch
            const from = adjusted >= minAlignedAdjusted ? here + alignedCost[adjusted & 7] : here
            const value = adjusted << VALUE_SHIFT
            const longest = Math.min(cacheLengths[c], maxLength)
            let total: number
            do {
              total = from + matchCost[row + next]
              if (total < cost[i + next]) {
                cost[i + next] = total
                item[i + next] = value | next
              }
            } while (++next <= longest)
            if (++c === matchesEnd || next > maxLength) {
              c = matchesEnd
              // Gap match: this longest match, the literal after it, then rep0 again.
              const rest = size - i - next
              const s = p + next
              const m = s - (adjusted - adjustment)
              let diff = words[m] ^ words[s]
              if (rest >= minMatch && (diff & 0xffff) === 0) {
                const limit = Math.min(rest, maxMatch)
                let repLength = 0
                while (diff === 0 && (repLength += 4) < limit) diff = words[m + repLength] ^ words[s + repLength]
                if (repLength < limit) repLength += (31 - Math.clz32(diff & -diff)) >>> 3
                if (repLength > limit) repLength = limit
                const literal = words[s - 1] & 0xff
                const gapTotal = total + mainCost[literal] + matchCost[repLength - minMatch]
                const node = i + next + repLength
                if (gapTotal < cost[node]) {
                  cost[node] = gapTotal
                  item[node] = GAP_FLAG | (literal << VALUE_SHIFT) | repLength
                  gapMatch[node] = value | (next - 1)
                }
              }
              break
            }
          }
        }
      }

      // The literal; then node i + 1 is final, and so is its queue.
      const literal = word & 0xff
      const literalTotal = here + mainCost[literal]
      const j = i + 1
      if (literalTotal <= cost[j]) {
        cost[j] = literalTotal
        item[j] = literal << VALUE_SHIFT
        queueAt[j] = qi
        continue
      }
      queueAt[j] = j
      const it = item[j]
      const length = it & LENGTH_MASK
      if (it & GAP_FLAG) {
        const before = gapMatch[j]
        const src = queueAt[j - length - 1 - (before & LENGTH_MASK)]
        q0[j] = (before >>> VALUE_SHIFT) - adjustment
        q1[j] = q0[src]
        q2[j] = q1[src]
        continue
      }
      const value = it >>> VALUE_SHIFT
      const src = queueAt[j - length]
      if (value >= recentOffsets) {
        q0[j] = value - adjustment
        q1[j] = q0[src]
        q2[j] = q1[src]
      } else if (value === 0) {
        q0[j] = q0[src]
        q1[j] = q1[src]
        q2[j] = q2[src]
      } else if (value === 1) {
        q0[j] = q1[src]
        q1[j] = q0[src]
        q2[j] = q2[src]
      } else {
        q0[j] = q2[src]
        q1[j] = q1[src]
        q2[j] = q0[src]
      }
    }
    const qe = queueAt[size]
    this.r0 = q0[qe]
    this.r1 = q1[qe]
    this.r2 = q2[qe]
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
