/**
 * The near-optimal parser's path search (parser.ts describes the method), part of the LZX
 * kernel (kernel.as.ts): it reads the chunk's words and the match cache where the match
 * finder left them in the same memory, the costs where CostModel wrote them, and leaves each
 * node's cheapest arrival where NearOptimalParser.walk reads it.
 */
import { cachedLength, cachedOffset, word } from './match-finder.as'

/** An item is: length (0 for a literal) | value << 9 | gap flag (the sign bit). */
const VALUE_SHIFT: i32 = 9
const LENGTH_MASK: i32 = (1 << VALUE_SHIFT) - 1
const GAP_FLAG: i32 = 1 << 31
const INFINITE_COST: i32 = 0x7fffffff
const MIN_MATCH: i32 = 2
const MAX_MATCH: i32 = 257
const NUM_RECENT_OFFSETS: i32 = 3
const OFFSET_ADJUSTMENT: i32 = 2
/** Adjusted offsets from here on have aligned symbols (SLOT_BASE of the first aligned slot). */
const MIN_ALIGNED_ADJUSTED: i32 = 16
/** Match lengths per offset slot in the match cost table. */
const LENGTHS_PER_SLOT: i32 = 256
const SLOT_SHIFT: u32 = 21
const ADJUSTED_MASK: i32 = (1 << SLOT_SHIFT) - 1

/** By node: the cheapest cost found to reach it, and how (an item). */
let COST: usize = 0
let ITEM: usize = 0
/** For a node reached by a gap match: the explicit match before the gap, as an item. */
let GAP_MATCH: usize = 0
/**
 * Recent offsets: the queue at node i is Q0..Q2[QUEUE_AT[i]]. A literal keeps the queue, so
 * only a match stores a new one (at the node it reaches); the others point back.
 */
let QUEUE_AT: usize = 0
let Q0: usize = 0
let Q1: usize = 0
let Q2: usize = 0
let MAIN_COST: usize = 0
let MATCH_COST: usize = 0
let ALIGNED_COST: usize = 0
let RECENT: usize = 0

/** Reserves the memory for blocks of up to `maxBlock` positions and `numMain` main symbols in `numSlots` offset slots; once per instance. */
export function setupParser(maxBlock: i32, numMain: i32, numSlots: i32): void {
  const nodes = (<usize>maxBlock + 1) << 2
  COST = heap.alloc(nodes)
  ITEM = heap.alloc(nodes)
  GAP_MATCH = heap.alloc(nodes)
  QUEUE_AT = heap.alloc(nodes)
  Q0 = heap.alloc(nodes)
  Q1 = heap.alloc(nodes)
  Q2 = heap.alloc(nodes)
  MAIN_COST = heap.alloc(<usize>numMain << 2)
  MATCH_COST = heap.alloc(<usize>(numSlots * LENGTHS_PER_SLOT) << 2)
  ALIGNED_COST = heap.alloc(8 << 2)
  RECENT = heap.alloc(NUM_RECENT_OFFSETS << 2)
}

export function itemAddress(): usize {
  return ITEM
}
export function gapMatchAddress(): usize {
  return GAP_MATCH
}
export function mainCostAddress(): usize {
  return MAIN_COST
}
export function matchCostAddress(): usize {
  return MATCH_COST
}
export function alignedCostAddress(): usize {
  return ALIGNED_COST
}
export function recentAddress(): usize {
  return RECENT
}

@inline function at(table: usize, index: i32): i32 {
  return load<i32>(table + (<usize>index << 2))
}
@inline function put(table: usize, index: i32, value: i32): void {
  store<i32>(table + (<usize>index << 2), value)
}
/** Bytes the words at `a` and `b` have in common, up to `limit`, given `diff`, the XOR of their first words. */
@inline function extend(a: i32, b: i32, diff: i32, limit: i32): i32 {
  let length: i32 = 0
  while (diff == 0 && (length += 4) < limit) diff = word(a + length) ^ word(b + length)
  if (length < limit) length += ctz(diff) >> 3
  return length > limit ? limit : length
}

/** See NearOptimalParser.findPath; the recent offsets at the path's end go to RECENT. */
export function findPath(start: i32, size: i32, r0: i32, r1: i32, r2: i32): void {
  put(COST, 0, 0)
  for (let n = 1; n <= size; n++) put(COST, n, INFINITE_COST)
  put(QUEUE_AT, 0, 0)
  put(Q0, 0, r0)
  put(Q1, 0, r1)
  put(Q2, 0, r2)
  let c: i32 = 0
  for (let i: i32 = 0; i < size; i++) {
    const p = start + i
    const w = word(p)
    const count = cachedLength(c++)
    const here = at(COST, i)
    const qi = at(QUEUE_AT, i)
    const maxLength = min(size - i, MAX_MATCH)
    if (count > 0 && maxLength >= MIN_MATCH) {
      const matchesEnd = c + count
      let next = MIN_MATCH
      let done = false
      // Recent offsets, each only for lengths beyond what the ones before it reached.
      for (let r: i32 = 0; r < NUM_RECENT_OFFSETS; r++) {
        const m = p - at(r == 0 ? Q0 : r == 1 ? Q1 : Q2, qi)
        const diff = word(m) ^ w
        if ((diff & 0xffff) != 0) continue
        const length = extend(m, p, diff, maxLength)
        if (length < next) continue
        const row = r * LENGTHS_PER_SLOT - MIN_MATCH
        const value = r << VALUE_SHIFT
        for (; next <= length; next++) {
          const total = here + at(MATCH_COST, row + next)
          if (total <= at(COST, i + next)) {
            put(COST, i + next, total)
            put(ITEM, i + next, value | next)
          }
        }
        if (next > maxLength) {
          c = matchesEnd
          done = true
          break
        }
      }
      if (!done) {
        while (next > cachedLength(c)) {
          if (++c == matchesEnd) {
            done = true
            break
          }
        }
      }
      while (!done) {
        const cached = cachedOffset(c)
        const adjusted = cached & ADJUSTED_MASK
        const row = <i32>(<u32>cached >> SLOT_SHIFT) * LENGTHS_PER_SLOT - MIN_MATCH
        const from = adjusted >= MIN_ALIGNED_ADJUSTED ? here + at(ALIGNED_COST, adjusted & 7) : here
        const value = adjusted << VALUE_SHIFT
        const longest = min(cachedLength(c), maxLength)
        let total: i32
        do {
          total = from + at(MATCH_COST, row + next)
          if (total < at(COST, i + next)) {
            put(COST, i + next, total)
            put(ITEM, i + next, value | next)
          }
        } while (++next <= longest)
        if (++c == matchesEnd || next > maxLength) {
          c = matchesEnd
          // Gap match: this longest match, the literal after it, then rep0 again.
          const rest = size - i - next
          const s = p + next
          const m = s - (adjusted - OFFSET_ADJUSTMENT)
          const diff = word(m) ^ word(s)
          if (rest >= MIN_MATCH && (diff & 0xffff) == 0) {
            const repLength = extend(m, s, diff, min(rest, MAX_MATCH))
            const literal = word(s - 1) & 0xff
            const gapTotal = total + at(MAIN_COST, literal) + at(MATCH_COST, repLength - MIN_MATCH)
            const node = i + next + repLength
            if (gapTotal < at(COST, node)) {
              put(COST, node, gapTotal)
              put(ITEM, node, GAP_FLAG | (literal << VALUE_SHIFT) | repLength)
              put(GAP_MATCH, node, value | (next - 1))
            }
          }
          done = true
        }
      }
    }

    // The literal; then node i + 1 is final, and so is its queue.
    const literal = w & 0xff
    const literalTotal = here + at(MAIN_COST, literal)
    const j = i + 1
    if (literalTotal <= at(COST, j)) {
      put(COST, j, literalTotal)
      put(ITEM, j, literal << VALUE_SHIFT)
      put(QUEUE_AT, j, qi)
      continue
    }
    put(QUEUE_AT, j, j)
    const it = at(ITEM, j)
    const length = it & LENGTH_MASK
    if (it & GAP_FLAG) {
      const before = at(GAP_MATCH, j)
      const src = at(QUEUE_AT, j - length - 1 - (before & LENGTH_MASK))
      put(Q0, j, <i32>(<u32>before >> VALUE_SHIFT) - OFFSET_ADJUSTMENT)
      put(Q1, j, at(Q0, src))
      put(Q2, j, at(Q1, src))
      continue
    }
    const value = <i32>(<u32>it >> VALUE_SHIFT)
    const src = at(QUEUE_AT, j - length)
    const s0 = at(Q0, src)
    const s1 = at(Q1, src)
    const s2 = at(Q2, src)
    if (value >= NUM_RECENT_OFFSETS) {
      put(Q0, j, value - OFFSET_ADJUSTMENT)
      put(Q1, j, s0)
      put(Q2, j, s1)
    } else if (value == 0) {
      put(Q0, j, s0)
      put(Q1, j, s1)
      put(Q2, j, s2)
    } else if (value == 1) {
      put(Q0, j, s1)
      put(Q1, j, s0)
      put(Q2, j, s2)
    } else {
      put(Q0, j, s2)
      put(Q1, j, s1)
      put(Q2, j, s0)
    }
  }
  const qe = at(QUEUE_AT, size)
  put(RECENT, 0, at(Q0, qe))
  put(RECENT, 1, at(Q1, qe))
  put(RECENT, 2, at(Q2, qe))
}
