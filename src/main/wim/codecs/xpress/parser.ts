import { MIN_MATCH_LENGTH } from './constants'
import { matchItem, matchSymbol } from './items'
import type { HashChainMatchFinder } from './match-finder'

export interface ParseEffort {
  /** Candidates examined per position. */
  depth: number
  /** A match this long is taken at once, without looking further. */
  nice: number
}

/**
 * Lazy parsing: before taking a match, look one byte ahead and prefer a literal there if the
 * next position has a longer match. Fills `items` and the symbol frequencies `freqs`, returns
 * the item count.
 */
export function parseLazy(
  data: Uint8Array,
  finder: HashChainMatchFinder,
  effort: ParseEffort,
  items: Uint32Array,
  freqs: Uint32Array,
): number {
  const { depth, nice } = effort
  const end = data.length
  const lazyDepth = depth >> 1 || 1
  // A length-3 match far back costs more bits than three literals.
  const farForThree = end <= 8192 ? 2048 : 4096
  freqs.fill(0)
  finder.begin(data)
  let count = 0
  let pos = 0
  while (pos < end) {
    let length = finder.longestMatch(pos, MIN_MATCH_LENGTH - 1, nice, depth)
    let offset = finder.offset
    if (length < MIN_MATCH_LENGTH || (length === MIN_MATCH_LENGTH && offset >= farForThree)) {
      const literal = data[pos++]!
      items[count++] = literal
      freqs[literal]!++
      continue
    }
    pos++
    // Keep deferring while the next position offers a longer match.
    while (length < nice) {
      const next = finder.longestMatch(pos, length, nice, lazyDepth)
      if (next <= length) break
      const literal = data[pos - 1]!
      items[count++] = literal
      freqs[literal]!++
      length = next
      offset = finder.offset
      pos++
    }
    items[count++] = matchItem(length, offset)
    freqs[matchSymbol(length, offset)]!++
    // pos - 1 is where the match starts; positions up to pos are already in the finder
    // when it was looked ahead, or pos - 1 alone when it was taken at once.
    const visited = length < nice ? 1 : 0
    finder.skip(pos + visited, length - 1 - visited)
    pos += length - 1
  }
  return count
}
