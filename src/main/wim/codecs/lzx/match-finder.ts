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
 *
 * The walk runs in the LZX kernel (match-finder.as.ts), which also holds the buffer's words
 * and the match cache, where the parser's path search reads them.
 */
import { OFFSET_ADJUSTMENT } from './constants'
import type { LzxCompressorKernel } from './kernel'

/** Cached offsets: adjusted offset in the low bits (below 2^21), offset slot above (as parser.as.ts reads them). */
const SLOT_SHIFT = 21

export class MatchFinder {
  /** Where the caller puts each buffer (up to maxPositions bytes) before calling reset. */
  readonly input: Uint8Array
  /** The match cache: see cacheRange. */
  readonly lengths: Uint16Array
  readonly offsets: Int32Array

  /** `maxPositions` and `cacheCapacity` as the kernel was set up with. */
  constructor(
    private readonly kernel: LzxCompressorKernel,
    maxPositions: number,
    slots: Uint8Array,
    cacheCapacity: number,
  ) {
    const { buffer } = kernel.memory
    this.input = new Uint8Array(buffer, kernel.inputAddress(), maxPositions)
    this.lengths = new Uint16Array(buffer, kernel.lengthsAddress(), cacheCapacity)
    this.offsets = new Int32Array(buffer, kernel.offsetsAddress(), cacheCapacity)
    // What the cache holds for each offset: the offset slot << SLOT_SHIFT | the adjusted offset.
    // Offsets reach window - 3 at most (a match needs 4 bytes after it starts).
    const slotted = new Int32Array(buffer, kernel.slottedAddress(), maxPositions)
    for (let offset = 1; offset < Math.min(maxPositions, slots.length - OFFSET_ADJUSTMENT); offset++) {
      const adjusted = offset + OFFSET_ADJUSTMENT
      slotted[offset] = (slots[adjusted] << SLOT_SHIFT) | adjusted
    }
  }

  /** Starts on the first `length` bytes of `input`: nothing before them can be matched. */
  reset(length: number): void {
    this.kernel.reset(length)
  }

  /**
   * Caches the matches of positions [from, to), each as a count then that many entries of
   * lengths/offsets, from index `at`; returns the index after the last. Positions must come
   * in order, each exactly once. An offset is cached as what the parser needs: the offset
   * slot << SLOT_SHIFT | the adjusted offset (offset + 2).
   *
   * Inside a match of niceLength or more, only every 4th position goes into the tables: on
   * repetitive data, inserting them all took most of the time, for 4% less output on text
   * and 0.2% on programs. A walk that only inserts compares up to niceLength: enough to keep
   * the tree in order.
   */
  cacheRange(from: number, to: number, niceLength: number, maxDepth: number, at: number): number {
    return this.kernel.cacheRange(from, to, niceLength, maxDepth, at)
  }
}
