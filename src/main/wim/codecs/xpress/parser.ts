import { MIN_MATCH_LENGTH } from './constants'
import { matchItem, matchSymbol } from './items'
import type { HashChainMatchFinder } from './match-finder'

export interface ParseEffort {
  /** Candidates examined per position. */
  depth: number
  /** A match this long is taken at once, without looking further. */
  nice: number
  /** Only a match shorter than this waits for a look at the next position. */
  lazyBelow: number
  /**
   * Positions of a match recorded for later searches beyond those searched at its start:
   * recording all of a long match costs time for matches that mostly repeat the first ones.
   */
  inserted: number
}

/**
 * Lazy parsing, as wimlib does at its default level: before taking a match, look one byte
 * ahead and prefer a literal there if the next position has a better match. Fills `items` and
 * the symbol frequencies `freqs`, returns the item count.
 */
export function parseLazy(
  data: Uint8Array,
  finder: HashChainMatchFinder,
  effort: ParseEffort,
  items: Uint32Array,
  freqs: Uint32Array,
): number {
  const { depth, nice, lazyBelow, inserted } = effort
  const end = data.length
  const symbolBits = end <= SMALL_CHUNK ? SMALL_CHUNK_MATCH_SYMBOL_BITS : MATCH_SYMBOL_BITS
  const lazyDepth = depth >> 1 || 1
  freqs.fill(0)
  finder.begin(data)
  let count = 0
  let pos = 0
  let misses = 0
  while (pos < end) {
    let length = finder.longestMatch(pos, MIN_MATCH_LENGTH - 1, nice, depth)
    let offset = finder.offset
    if (length < MIN_MATCH_LENGTH || matchGain(length, offset, symbolBits) <= 0) {
      // Long stretches without matches (already compressed data) are searched ever more sparsely.
      const stop = Math.min(end, pos + 1 + (++misses >> SKIP_SHIFT))
      while (pos < stop) {
        const literal = data[pos++]!
        items[count++] = literal
        freqs[literal]!++
      }
      continue
    }
    misses = 0
    // pos is where the match starts; `searched` is the next position not yet in the finder.
    let searched = pos + 1
    // Keep deferring while the next position offers a better match.
    while (length < lazyBelow) {
      const next = finder.longestMatch(pos + 1, length, nice, lazyDepth)
      searched = pos + 2
      if (next <= length || matchGain(next, finder.offset, symbolBits) <= matchGain(length, offset, symbolBits)) break
      const literal = data[pos++]!
      items[count++] = literal
      freqs[literal]!++
      length = next
      offset = finder.offset
    }
    items[count++] = matchItem(length, offset)
    freqs[matchSymbol(length, offset)]!++
    const skipped = Math.min(pos + length, searched + inserted) - searched
    if (skipped > 0) finder.skip(searched, skipped)
    pos += length
  }
  return count
}

/** After 2^SKIP_SHIFT positions without a match, searches are one position further apart. */
const SKIP_SHIFT = 7

/**
 * Rough costs in bits before the Huffman code exists: with them a length-3 match pays off
 * only within 4096 bytes (1024 in small chunks, whose flatter codes make match headers
 * dearer), and a longer match one byte later wins unless its offset needs many more bits.
 */
const LITERAL_BITS = 7
const MATCH_SYMBOL_BITS = 9
const SMALL_CHUNK = 8192
const SMALL_CHUNK_MATCH_SYMBOL_BITS = 11

/** Bits a match saves over literals, by rough costs (the Huffman code does not exist yet). */
function matchGain(length: number, offset: number, symbolBits: number): number {
  return length * LITERAL_BITS - symbolBits - (31 - Math.clz32(offset)) - (length >= 18 ? 8 : 0)
}
