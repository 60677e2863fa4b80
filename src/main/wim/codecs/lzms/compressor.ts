import { numOffsetSlots } from './constants'
import { DeltaMatchFinder } from './delta-finder'
import { ItemEncoder } from './encoder'
import { MAX_REPORTED_LENGTH, MatchFinder } from './match-finder'
import { Parser } from './parser'
import { x86Filter } from './x86-filter'

/** wimlib's default effort. */
const DEFAULT_LEVEL = 50
/** No chunk this short can come out smaller: the range coder alone flushes 6 bytes. */
const MIN_COMPRESSIBLE = 8

/**
 * Compresses LZMS chunks: the x86 filter on a copy of the chunk, then a near-optimal parse
 * (binary-tree LZ matches, hashed delta matches) written by the item encoder. Levels follow
 * wimlib's scale: the nice match length grows with the level (63 at 50), delta matches from
 * 35, the "match, literal, repeat" combination from 45, and the tree search depth with it.
 *
 * Memory, allocated once for the largest chunk: the chunk copy and the output buffer (one byte
 * each per byte of chunk), the match finder's far hash (a quarter, at most 16 MiB) and its trees
 * (8 bytes per byte of window: 1 MiB at level 50), plus about 2 MiB of tables and parser
 * nodes. For a 64 MiB solid chunk at level 50: 64 + 64 + 16 + 1 + 2 = 147 MiB.
 */
export class LzmsCompressor {
  private readonly buffer: Uint8Array
  private readonly output: Uint8Array
  private readonly x86Usage = new Int32Array(65536)
  private readonly matches: MatchFinder
  private readonly deltas: DeltaMatchFinder
  private readonly encoder = new ItemEncoder()
  private readonly parser: Parser

  constructor(chunkSize: number, level = DEFAULT_LEVEL) {
    const niceLength = Math.max(8, Math.min(MAX_REPORTED_LENGTH, Math.round((level * 63) / 50)))
    this.buffer = new Uint8Array(chunkSize)
    this.output = new Uint8Array(chunkSize)
    // Binary trees cover the nearest 128 KiB at level 50, twice that for every 10 levels more.
    const windowLog = 17 + Math.max(0, Math.min(5, Math.floor((level - 50) / 10)))
    this.matches = new MatchFinder(chunkSize, niceLength, Math.max(4, Math.round(level * 0.32)), windowLog)
    this.deltas = new DeltaMatchFinder(chunkSize)
    this.parser = new Parser({ niceLength, deltaMatches: level >= 35, matchLiteralRepeat: level >= 45 })
  }

  compress(input: Uint8Array): Uint8Array | null {
    const size = input.length
    if (size < MIN_COMPRESSIBLE) return null
    const data = this.buffer
    data.set(input)
    x86Filter(data, size, this.x86Usage, false)
    this.matches.reset(data, size)
    this.deltas.reset(data, size)
    // The result must be smaller than the input, and a whole number of 16-bit words.
    const capacity = (size - 1) & ~1
    this.encoder.reset(this.output, capacity, numOffsetSlots(size))
    if (!this.parser.parse(data, size, this.matches, this.deltas, this.encoder)) return null
    const compressedSize = this.encoder.finish()
    return compressedSize === 0 ? null : this.output.slice(0, compressedSize)
  }
}
