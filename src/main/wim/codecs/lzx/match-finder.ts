/**
 * Finds LZ77 matches for the near-optimal parser: for each position, a list of matches of
 * strictly increasing length (each the closest found of its length).
 *
 * Length 2 and 3 matches come from small hash tables holding the latest positions of each
 * 2- and 3-byte hash. Longer ones come from binary trees, one per 4-byte hash, holding every
 * earlier position sorted by the bytes that follow it: one walk from the root finds the
 * matches and re-roots the tree at the current position (so recent positions stay near the
 * top). The walk stops after `maxDepth` nodes, or at a match of `niceLength` bytes; the
 * positions such a match covers are then not searched, and only some are inserted.
 *
 * Tables hold `base + position`; anything below `base` is empty. Raising `base` at each
 * buffer forgets the previous one without clearing the tables.
 */
import { MAX_MATCH, OFFSET_ADJUSTMENT } from './constants'

const HASH2_ORDER = 12
const HASH3_ORDER = 15
const HASH4_ORDER = 16
/** Positions that can start a tree walk: 4 bytes must remain for the hash. */
const MIN_LOOKAHEAD = 4
/** Cached offsets: adjusted offset in the low bits (below 2^21), offset slot above. */
export const SLOT_SHIFT = 21
export const ADJUSTED_MASK = (1 << SLOT_SHIFT) - 1

export class MatchFinder {
  private size = 0
  /**
   * The buffer as the little-endian 32-bit word starting at each position (zeros past its
   * end): one read gives four bytes to compare or hash.
   */
  readonly words: Int32Array
  private readonly hash2 = new Int32Array(1 << HASH2_ORDER)
  /** Two candidates per 3-byte hash: the latest and the one before. */
  private readonly hash3 = new Int32Array(2 << HASH3_ORDER)
  private readonly hash4 = new Int32Array(1 << HASH4_ORDER)
  /** Left and right child of the tree node of position p at 2p and 2p + 1. */
  private readonly children: Int32Array
  private readonly maxPositions: number
  /** What the cache holds for each offset: see cacheRange. */
  private readonly slotted: Int32Array
  private base = 1
  /** First position to search again after a match of niceLength or more. */
  private nextSearch = 0

  constructor(maxPositions: number, slots: Uint8Array) {
    this.maxPositions = maxPositions
    this.slotted = new Int32Array(maxPositions)
    // Offsets reach window - 3 at most (a match needs MIN_LOOKAHEAD bytes after it starts).
    for (let offset = 1; offset < Math.min(maxPositions, slots.length - OFFSET_ADJUSTMENT); offset++) {
      const adjusted = offset + OFFSET_ADJUSTMENT
      this.slotted[offset] = (slots[adjusted] << SLOT_SHIFT) | adjusted
    }
    this.children = new Int32Array(2 * maxPositions)
    this.words = new Int32Array(maxPositions + 4)
  }

  /** Starts a new buffer: nothing before it can be matched. */
  reset(data: Uint8Array): void {
    const words = this.words
    const size = data.length
    let word = 0
    for (let i = size + 3; i >= 0; i--) {
      word = (word << 8) | (i < size ? data[i] : 0)
      words[i] = word
    }
    this.size = size
    this.nextSearch = 0
    this.base += this.maxPositions
    if (this.base > 0x7fffffff - this.maxPositions) {
      this.hash2.fill(0)
      this.hash3.fill(0)
      this.hash4.fill(0)
      this.base = 1
    }
  }

  /**
   * Caches the matches of positions [from, to), each as a count then that many entries of
   * lengths/offsets, from index `at`; returns the index after the last. Positions must come
   * in order, each exactly once. An offset is cached as what the parser needs: the offset
   * slot << SLOT_SHIFT | the adjusted offset (offset + 2).
   */
  cacheRange(from: number, to: number, niceLength: number, maxDepth: number, lengths: Uint16Array, offsets: Int32Array, at: number): number {
    const { size, words, hash2, hash3, hash4, children, base, slotted } = this
    const maxMatch = MAX_MATCH
    let nextSearch = this.nextSearch
    for (let pos = from; pos < to; pos++) {
      const header = at++
      const left = size - pos
      if (left < MIN_LOOKAHEAD) {
        lengths[header] = 0
        continue
      }
      const maxLength = left < maxMatch ? left : maxMatch
      const nice = niceLength < maxLength ? niceLength : maxLength
      const record = pos >= nextSearch
      // Inside a match of niceLength or more, only every 4th position goes into the tables:
      // on repetitive data, inserting them all took most of the time, for 4% less output
      // on text and 0.2% on programs.
      if (!record && (pos & 3) !== 0) {
        lengths[header] = 0
        continue
      }
      // A walk that only inserts compares up to `nice`: enough to keep the tree in order.
      const limit = record ? maxLength : nice
      const cur = base + pos
      const word = words[pos]

      const h2 = Math.imul(word & 0xffff, 0x1e35a7bd) >>> (32 - HASH2_ORDER)
      const cand2 = hash2[h2] - base
      hash2[h2] = cur
      if (record && cand2 >= 0 && ((words[cand2] ^ word) & 0xffff) === 0) {
        lengths[at] = 2
        offsets[at++] = slotted[pos - cand2]
      }

      const h3 = (Math.imul(word & 0xffffff, 0x1e35a7bd) >>> (32 - HASH3_ORDER)) << 1
      const cand3 = hash3[h3] - base
      const cand3b = hash3[h3 + 1] - base
      hash3[h3 + 1] = hash3[h3]
      hash3[h3] = cur
      if (record) {
        if (cand3 >= 0 && ((words[cand3] ^ word) & 0xffffff) === 0) {
          lengths[at] = 3
          offsets[at++] = slotted[pos - cand3]
        } else if (cand3b >= 0 && ((words[cand3b] ^ word) & 0xffffff) === 0) {
          lengths[at] = 3
          offsets[at++] = slotted[pos - cand3b]
        }
      }

      const h4 = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH4_ORDER)
      let node = hash4[h4] - base
      hash4[h4] = cur
      // Slots still to fill: where the next smaller and the next larger node will hang.
      let lessSlot = 2 * pos
      let moreSlot = 2 * pos + 1
      let lessLength = 0
      let moreLength = 0
      // Bytes known equal between the node and the current position.
      let length = 0
      // Tree matches count only beyond length 3, which the hash tables cover.
      let recordAbove = 3
      let depth = maxDepth
      for (;;) {
        if (node < 0) {
          children[lessSlot] = 0
          children[moreSlot] = 0
          break
        }
        let mine = words[pos + length]
        let theirs = words[node + length]
        let diff = mine ^ theirs
        if ((diff & 0xff) === 0) {
          // Extend four bytes at a time; the first differing byte is the lowest set byte
          // of the difference (the words are little-endian).
          while (diff === 0 && (length += 4) < limit) diff = words[pos + length] ^ words[node + length]
          if (length < limit) length += (31 - Math.clz32(diff & -diff)) >>> 3
          if (length > limit) length = limit
          if (length > recordAbove) {
            if (record) {
              recordAbove = length
              lengths[at] = length
              offsets[at++] = slotted[pos - node]
            }
            if (length >= nice) {
              // Equal to the node as far as it matters: take over its subtrees.
              children[lessSlot] = children[2 * node]
              children[moreSlot] = children[2 * node + 1]
              if (record) nextSearch = pos + length
              break
            }
          }
          mine = words[pos + length]
          theirs = words[node + length]
        }
        if ((theirs & 0xff) < (mine & 0xff)) {
          children[lessSlot] = node + base
          lessSlot = 2 * node + 1
          node = children[lessSlot] - base
          lessLength = length
          if (moreLength < length) length = moreLength
        } else {
          children[moreSlot] = node + base
          moreSlot = 2 * node
          node = children[moreSlot] - base
          moreLength = length
          if (lessLength < length) length = lessLength
        }
        if (--depth === 0) node = -1
      }
      lengths[header] = at - header - 1
    }
    this.nextSearch = nextSearch
    return at
  }
}
