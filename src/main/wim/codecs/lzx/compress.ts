/**
 * LZX compression of one WIM chunk: unless the chunk looks random, E8 translation, then
 * block by block: run the block through the binary-tree match finder once, caching every
 * position's matches, and end the block where the data changes character; parse it
 * near-optimally from typical costs (at higher levels, again from the costs of the codes
 * that parse produced); then write it.
 */
import { BitWriter } from './bit-writer'
import { BlockSplitter } from './block-splitter'
import { ALIGNED_LIMIT, BlockWriter, LENGTH_LIMIT, MAIN_LIMIT } from './block-writer'
import { MAX_MATCH, NUM_CHARS, mainSymbolCount, offsetSlotCount, slotTable, wideBlockSizes, windowOrder } from './constants'
import { CostModel } from './costs'
import { translateE8 } from './e8'
import { Frequencies } from './frequencies'
import { createCompressorKernel } from './kernel'
import { MatchFinder } from './match-finder'
import { NearOptimalParser, Sequences } from './parser'
import { order0Bits, RandomnessCheck } from './randomness'

/** Blocks end at this size at the latest (plus a match), unless the chunk ends first. */
const MAX_BLOCK = 100_000
/** No block is shorter than this, except a chunk's last. */
const MIN_BLOCK = 6500
/** Matches cached per block: room for 5 per position; a block that needs more ends early. */
const CACHE_SIZE = MAX_BLOCK * 5
/** Positions the match finder runs between two looks at whether the block should end. */
const SEGMENT = 256
/** Below this, the block headers alone outweigh any saving. */
const MIN_INPUT = 64
/** Code lengths of a block that uses all 256 literals take at least this many bits. */
const MIN_TABLE_BITS = 1024

interface LzxLevel {
  /** Tree nodes visited per position. */
  maxDepth: number
  /** A match this long is taken without looking further. */
  niceLength: number
  /** Parses per block at most, each with the costs the previous one produced. */
  passes: number
  /**
   * Parse again only if the costs misjudged the resulting codes by more than this (bits per
   * bit, see CostModel.mismatch): the first parse starts from typical costs, which suit
   * most data; a block they do not suit (repetitive records, long runs) is parsed again.
   */
  reparseAbove: number
}

/**
 * On wimlib's scale, where 50 is the default. At 50 the search is shallower than wimlib's
 * (6 tree nodes and a stop at 20 bytes, where wimlib takes 24 and 48) and each block is
 * parsed once, from typical costs, where wimlib parses twice: 1.7 times as fast as that,
 * for about 1% more output on the capture benchmark. Higher levels search deeper and parse
 * again: from 55 where the typical costs misjudged the codes much, from 70 always.
 */
function levelParameters(level: number): LzxLevel {
  return {
    maxDepth: Math.max(1, Math.floor((6 * level) / 50)),
    niceLength: Math.min(MAX_MATCH, Math.max(8, Math.floor((20 * level) / 50))),
    passes: level < 55 ? 1 : 2 + [100, 150, 200, 300].filter((threshold) => level >= threshold).length,
    reparseAbove: level < 70 ? 0.4 : 0,
  }
}

/**
 * Whether a greedy look at a whole chunk (its literal and match counts in `freqs`) already
 * costs the chunk's size: the literals' order-0 entropy, which no Huffman code beats, plus a
 * byte per match and the smallest code tables. Such a chunk (random, or compressed before)
 * is stored raw without being parsed.
 */
function beyondHope(freqs: Frequencies, size: number): boolean {
  return order0Bits(freqs.main, NUM_CHARS) + 8 * freqs.main[NUM_CHARS] + MIN_TABLE_BITS >= 8 * size
}

export class LzxCompressor {
  private readonly params: LzxLevel
  private readonly slots: Uint8Array
  private readonly finder: MatchFinder
  private readonly splitter = new BlockSplitter()
  private readonly randomness = new RandomnessCheck()
  private readonly freqs: Frequencies
  private readonly costs: CostModel
  private readonly parser: NearOptimalParser
  private readonly sequences: Sequences
  private readonly blockWriter: BlockWriter
  private readonly writer: BitWriter

  constructor(chunkSize: number, level: number) {
    const order = windowOrder(chunkSize)
    const numMain = mainSymbolCount(order)
    const maxBlock = Math.min(chunkSize, MAX_BLOCK)
    this.params = levelParameters(level)
    const numSlots = offsetSlotCount(order)
    this.slots = slotTable(order)
    // Past the limit there must be room for one more segment, at worst a count and a match
    // of every length at each position.
    const cacheCapacity = CACHE_SIZE + SEGMENT * (MAX_MATCH + 1)
    const kernel = createCompressorKernel({ positions: chunkSize, cacheCapacity, maxBlock, numMain, numSlots })
    this.finder = new MatchFinder(kernel, chunkSize, this.slots, cacheCapacity)
    this.parser = new NearOptimalParser(kernel, maxBlock, numMain, numSlots)
    this.freqs = new Frequencies(numMain)
    this.costs = new CostModel(numMain, this.parser.costTables)
    this.sequences = new Sequences(maxBlock)
    this.blockWriter = new BlockWriter(numMain, wideBlockSizes(order))
    this.writer = new BitWriter(chunkSize)
  }

  compress(input: Uint8Array): Uint8Array | null {
    const size = input.length
    if (size < MIN_INPUT || this.randomness.hopeless(input, MIN_TABLE_BITS)) return null
    // The chunk is translated where the match finder reads it, the copy every stage uses.
    const data = this.finder.input.subarray(0, size)
    data.set(input)
    translateE8(data)
    this.finder.reset(size)
    this.blockWriter.startChunk()
    // The result is useful only if smaller than the input.
    this.writer.reset(size - 1)
    let r0 = 1
    let r1 = 1
    let r2 = 1
    for (let start = 0; start < size; ) {
      const end = this.cacheBlock(data, start)
      if (end - start === size && beyondHope(this.freqs, size)) return null
      this.parse(start, end - start, r0, r1, r2)
      if (this.blockWriter.write(this.writer, data, start, end - start, this.sequences, this.freqs, r0, r1, r2)) {
        r0 = this.parser.r0
        r1 = this.parser.r1
        r2 = this.parser.r2
      }
      if (this.writer.overflowed) return null
      start = end
    }
    const length = this.writer.finish()
    return this.writer.overflowed ? null : this.writer.out.slice(0, length)
  }

  /**
   * Runs the match finder from `start` and caches each position's matches until the block
   * should end; returns the block's end. Meanwhile a greedy look at the matches (the longest
   * at each position it reaches) feeds the block splitter and the first pass's cost
   * estimates (in this.freqs).
   */
  private cacheBlock(data: Uint8Array, start: number): number {
    const { finder, splitter, freqs } = this
    const { lengths: cacheLengths, offsets: cacheOffsets } = finder
    const { maxDepth, niceLength } = this.params
    const numChars = NUM_CHARS
    const maxEnd = start + Math.min(MAX_BLOCK, data.length - start)
    freqs.reset()
    splitter.reset()
    let at = 0
    let pos = start
    let nextObservation = start
    while (pos < maxEnd) {
      const to = Math.min(maxEnd, pos + SEGMENT)
      let k = at
      at = finder.cacheRange(pos, to, niceLength, maxDepth, at)
      for (; pos < to; pos++) {
        const count = cacheLengths[k]
        if (pos >= nextObservation) {
          const longest = count ? cacheLengths[k + count] : 0
          if (longest >= 3) {
            freqs.main[numChars]++
            freqs.aligned[cacheOffsets[k + count] & 7]++
            splitter.observeMatch(longest)
            nextObservation = pos + longest
          } else {
            freqs.main[data[pos]]++
            splitter.observeLiteral(data[pos])
            nextObservation = pos + 1
          }
        }
        k += count + 1
      }
      if (at >= CACHE_SIZE) break
      if (splitter.batchFull() && pos - start >= MIN_BLOCK && maxEnd - pos >= MIN_BLOCK && splitter.shouldEnd()) break
    }
    return pos
  }

  /**
   * Whether to parse the block again with the costs of the codes just built: always from
   * level 60, else only where the costs misjudged those codes; never for a small block,
   * which gains too little to pay for the pass.
   */
  private worthAnotherPass(size: number): boolean {
    const { reparseAbove } = this.params
    if (reparseAbove === 0) return true
    return size >= MIN_BLOCK && this.costs.mismatch(this.freqs, this.blockWriter.mainLens, this.blockWriter.lenLens) > reparseAbove
  }

  /**
   * Parses the block the cache holds, leaving its sequences, symbol counts and code lengths
   * (in the block writer) ready to write.
   */
  private parse(start: number, size: number, r0: number, r1: number, r2: number): void {
    const { parser, costs, freqs, slots, blockWriter } = this
    costs.setInitial(freqs)
    for (let pass = 1; ; pass++) {
      costs.computeMatchCosts()
      parser.findPath(start, size, r0, r1, r2)
      freqs.reset()
      parser.walk(size, freqs, slots, this.sequences)
      blockWriter.buildLengths(freqs)
      if (pass === this.params.passes || !this.worthAnotherPass(size)) break
      costs.setFromLengths(blockWriter.mainLens, blockWriter.lenLens, blockWriter.alignedLens, MAIN_LIMIT, LENGTH_LIMIT, ALIGNED_LIMIT)
    }
  }
}
