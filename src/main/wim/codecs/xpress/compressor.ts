import { AppError } from '../../../../shared/errors'
import { MIN_BLOCK_BYTES, NUM_SYMBOLS } from './constants'
import { ENCODER_SLACK, encodeBlock } from './encoder'
import { HashChainMatchFinder } from './match-finder'
import { parseLazy, type ParseEffort } from './parser'

/** wimlib's scale: 50 is its default. */
const DEFAULT_LEVEL = 50

/**
 * Search effort for a level. At 50 the search is lighter than wimlib's default (16 chain
 * candidates where it takes 46, a stop at 32 bytes where it takes 93, a look one byte ahead
 * only for matches under 16, at most 8 more positions of a match recorded): 1.25 times as
 * fast for about 1% more output on the capture benchmark, 2% on text-heavy data.
 */
function effortFor(level: number): ParseEffort {
  const depth = Math.max(2, Math.floor((level * 16) / 50))
  const nice = Math.max(4, Math.floor((level * 32) / 50))
  return { depth, nice, lazyBelow: nice >> 1, inserted: depth >> 1 }
}

/** Compresses chunks of up to `maxChunkSize` bytes, reusing its scratch memory for each. */
export class XpressCompressor {
  private readonly finder: HashChainMatchFinder
  private readonly effort: ParseEffort
  private readonly items: Uint32Array
  private readonly freqs = new Uint32Array(NUM_SYMBOLS)
  private readonly lengths = new Uint8Array(NUM_SYMBOLS)
  private readonly codes = new Uint32Array(NUM_SYMBOLS)
  private readonly out: Uint8Array

  constructor(maxChunkSize: number, level = DEFAULT_LEVEL) {
    this.finder = new HashChainMatchFinder(maxChunkSize)
    this.effort = effortFor(level)
    this.items = new Uint32Array(maxChunkSize)
    this.out = new Uint8Array(maxChunkSize + ENCODER_SLACK)
  }

  /** The compressed block, or null when it would not be smaller than the input. */
  compress(input: Uint8Array): Uint8Array | null {
    if (input.length > this.items.length) throw new AppError('INTERNAL', `XPRESS: ${input.length}-byte chunk exceeds the chunk size ${this.items.length}`)
    if (input.length <= MIN_BLOCK_BYTES) return null
    const count = parseLazy(input, this.finder, this.effort, this.items, this.freqs)
    const size = encodeBlock(this.items, count, this.freqs, this.lengths, this.codes, this.out, input.length - 1)
    return size ? this.out.slice(0, size) : null
  }
}
