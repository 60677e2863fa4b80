import { AppError } from '../../../../shared/errors'
import { buildLengthLimitedCode, canonicalCodes } from '../huffman'
import { instantiateKernel } from '../wasm-kernel'
import { END_OF_DATA, LENGTH_ESCAPE, LENGTH_TABLE_BYTES, MAX_BLOCK_SIZE, MAX_CODEWORD_LENGTH, MIN_BLOCK_BYTES, NUM_CHARS, NUM_SYMBOLS } from './constants'
import kernelBytes from './kernel.wasm'

/** wimlib's scale: 50 is its default. */
const DEFAULT_LEVEL = 50

interface ParseEffort {
  depth: number
  nice: number
  lazyBelow: number
  inserted: number
}

/**
 * Search effort for a level (see the kernel's parse). At 50 the search is lighter than
 * wimlib's default (16 chain candidates where it takes 46, a stop at 32 bytes where it takes
 * 93, a look one byte ahead only for matches under 16, at most 8 more positions of a match
 * recorded): 1.25 times as fast for about 1% more output on the capture benchmark, 2% on
 * text-heavy data.
 */
function effortFor(level: number): ParseEffort {
  const depth = Math.max(2, Math.floor((level * 16) / 50))
  const nice = Math.max(4, Math.floor((level * 32) / 50))
  return { depth, nice, lazyBelow: nice >> 1, inserted: depth >> 1 }
}

interface Kernel {
  inputAddress(): number
  freqsAddress(): number
  lengthsAddress(): number
  codesAddress(): number
  outAddress(): number
  parse(size: number, depth: number, nice: number, lazyBelow: number, inserted: number): number
  encode(items: number, limit: number): number
}

/** Compresses chunks of up to `maxChunkSize` bytes, reusing its scratch memory for each. */
export class XpressCompressor {
  private readonly kernel = instantiateKernel<Kernel>(kernelBytes)
  private readonly effort: ParseEffort
  private readonly input: Uint8Array
  private readonly freqs: Uint32Array
  private readonly lengths: Uint8Array
  private readonly codes: Uint32Array
  private readonly out: Uint8Array

  constructor(
    private readonly maxChunkSize: number,
    level = DEFAULT_LEVEL,
  ) {
    this.effort = effortFor(level)
    // The kernel's memory never grows, so these views stay valid.
    const { buffer } = this.kernel.memory
    this.input = new Uint8Array(buffer, this.kernel.inputAddress(), MAX_BLOCK_SIZE)
    this.freqs = new Uint32Array(buffer, this.kernel.freqsAddress(), NUM_SYMBOLS)
    this.lengths = new Uint8Array(buffer, this.kernel.lengthsAddress(), NUM_SYMBOLS)
    this.codes = new Uint32Array(buffer, this.kernel.codesAddress(), NUM_SYMBOLS)
    this.out = new Uint8Array(buffer, this.kernel.outAddress(), MAX_BLOCK_SIZE)
  }

  /** The compressed block, or null when it would not be smaller than the input. */
  compress(input: Uint8Array): Uint8Array | null {
    if (input.length > this.maxChunkSize) throw new AppError('INTERNAL', `XPRESS: ${input.length}-byte chunk exceeds the chunk size ${this.maxChunkSize}`)
    if (input.length <= MIN_BLOCK_BYTES) return null
    const { depth, nice, lazyBelow, inserted } = this.effort
    this.input.set(input)
    const items = this.kernel.parse(input.length, depth, nice, lazyBelow, inserted)
    const limit = input.length - 1
    this.freqs[END_OF_DATA]!++
    buildLengthLimitedCode(this.freqs, NUM_SYMBOLS, MAX_CODEWORD_LENGTH, this.lengths)
    // Incompressible chunks end here, before a single bit is written.
    if (sizeLowerBound(this.freqs, this.lengths) > limit) return null
    canonicalCodes(this.lengths, NUM_SYMBOLS, MAX_CODEWORD_LENGTH, this.codes)
    const size = this.kernel.encode(items, limit)
    return size ? this.out.slice(0, size) : null
  }
}

/**
 * The block size the code and symbol counts imply, counting one length byte for each long
 * match (some have three).
 */
function sizeLowerBound(freqs: Uint32Array, lengths: Uint8Array): number {
  let bits = 0
  let bytes = LENGTH_TABLE_BYTES
  for (let symbol = 0; symbol < NUM_SYMBOLS; symbol++) {
    const count = freqs[symbol]!
    bits += count * lengths[symbol]!
    if (symbol < NUM_CHARS) continue
    bits += count * ((symbol - NUM_CHARS) >>> 4)
    if ((symbol & LENGTH_ESCAPE) === LENGTH_ESCAPE) bytes += count
  }
  // Every stream ends with two words past the last bit that needs one.
  return bytes + 2 * (Math.ceil(bits / 16) + 1)
}
