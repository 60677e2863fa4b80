/**
 * LZX decompression of one WIM chunk: a series of verbatim, aligned offset and uncompressed
 * blocks that together give the chunk's bytes, then the E8 translation undone. Every chunk
 * starts afresh: recent offsets 1, 1, 1 and all previous code lengths zero. Block headers
 * and decode tables are read here; each block's literals and matches are decoded by the LZX
 * kernel (decoder.as.ts), where the chunk and the tables are.
 */
import { AppError } from '../../../../shared/errors'
import { buildDecodeTable, decodeTableSize } from '../huffman'
import { BitReader } from './bit-reader'
import {
  ALIGNED_ELEMENT_BITS,
  ALIGNED_SYMBOLS,
  BLOCK_ALIGNED,
  BLOCK_UNCOMPRESSED,
  BLOCK_VERBATIM,
  DEFAULT_BLOCK_SIZE,
  MAX_ALIGNED_CODEWORD,
  MAX_LEN_CODEWORD,
  MAX_MAIN_CODEWORD,
  MAX_PRE_CODEWORD,
  NUM_CHARS,
  NUM_LEN_SYMBOLS,
  PRECODE_ELEMENT_BITS,
  PRECODE_SYMBOLS,
  mainSymbolCount,
  wideBlockSizes,
  windowOrder,
} from './constants'
import { untranslateE8 } from './e8'
import { createDecompressorKernel, type LzxDecompressorKernel } from './kernel'

/** Decode table bits; the kernel's block loop (decoder.as.ts) uses the same. */
const MAIN_TABLE_BITS = 11
const LEN_TABLE_BITS = 10
const ALIGNED_TABLE_BITS = 7
const PRE_TABLE_BITS = 6
/** A run in the code lengths may overshoot the last length by up to 50 (as in wimlib). */
const RUN_OVERSHOOT = 50
/** Where the kernel keeps the bit reader's state, the recent offsets and a problem found: i32 fields, as decoder.as.ts lays them out. */
const FIELD = { window: 0, count: 1, pos: 2, r0: 3, r1: 4, r2: 5, problem: 6, at: 7, offset: 8, length: 9 } as const
const STATE_FIELDS = 10
/** The problems the kernel's block loop reports, by the code it gives each (decoder.as.ts), in words. */
const PROBLEMS: Record<number, (state: Int32Array) => string> = {
  1: () => 'length symbol with an empty length code',
  2: () => 'aligned offset symbol with an empty aligned code',
  3: (state) => `match at ${state[FIELD.at]} reaches ${state[FIELD.offset]} bytes back, before the start of the chunk`,
  4: (state) => `match of ${state[FIELD.length]} bytes at ${state[FIELD.at]} runs past the end of its block`,
}

function corrupt(reason: string): AppError {
  return new AppError('CORRUPT', `LZX: ${reason}`)
}

export class LzxDecompressor {
  private readonly maxSize: number
  private readonly wideSizes: boolean
  private readonly numMain: number
  private readonly reader = new BitReader()
  private readonly kernel: LzxDecompressorKernel
  /** Where each chunk's compressed bytes are put for the kernel to read. */
  private readonly input: Uint8Array
  /** Where chunks are decoded (the kernel keeps slack past it for four-byte copies); the result is a copy. */
  private readonly output: Uint8Array
  private readonly state: Int32Array
  private readonly mainLens: Uint8Array
  private readonly lenLens = new Uint8Array(NUM_LEN_SYMBOLS + RUN_OVERSHOOT)
  private readonly alignedLens = new Uint8Array(ALIGNED_SYMBOLS)
  private readonly preLens = new Uint8Array(PRECODE_SYMBOLS)
  /** The decode tables the kernel reads, in its memory; the precode's is read here only. */
  private readonly mainTable: Uint32Array
  private readonly lenTable: Uint32Array
  private readonly alignedTable: Uint32Array
  private readonly preTable = new Uint32Array(decodeTableSize(PRECODE_SYMBOLS, PRE_TABLE_BITS, MAX_PRE_CODEWORD))
  /** Recent offsets, carried from block to block within a chunk. */
  private r0 = 1
  private r1 = 1
  private r2 = 1

  constructor(chunkSize: number) {
    const order = windowOrder(chunkSize)
    this.maxSize = chunkSize
    this.wideSizes = wideBlockSizes(order)
    this.numMain = mainSymbolCount(order)
    this.mainLens = new Uint8Array(this.numMain + RUN_OVERSHOOT)
    const sizes = {
      main: decodeTableSize(this.numMain, MAIN_TABLE_BITS, MAX_MAIN_CODEWORD),
      len: decodeTableSize(NUM_LEN_SYMBOLS, LEN_TABLE_BITS, MAX_LEN_CODEWORD),
      aligned: decodeTableSize(ALIGNED_SYMBOLS, ALIGNED_TABLE_BITS, MAX_ALIGNED_CODEWORD),
    }
    const kernel = createDecompressorKernel(chunkSize, sizes)
    const { buffer } = kernel.memory
    this.kernel = kernel
    this.input = new Uint8Array(buffer, kernel.decoderInputAddress(), chunkSize)
    this.output = new Uint8Array(buffer, kernel.decoderOutputAddress(), chunkSize)
    this.state = new Int32Array(buffer, kernel.decoderStateAddress(), STATE_FIELDS)
    this.mainTable = new Uint32Array(buffer, kernel.mainTableAddress(), sizes.main)
    this.lenTable = new Uint32Array(buffer, kernel.lenTableAddress(), sizes.len)
    this.alignedTable = new Uint32Array(buffer, kernel.alignedTableAddress(), sizes.aligned)
  }

  decompress(input: Uint8Array, outputSize: number): Uint8Array {
    if (outputSize > this.maxSize) throw corrupt(`chunk of ${outputSize} bytes is larger than the ${this.maxSize}-byte window`)
    // A chunk is stored compressed only when that makes it smaller.
    if (input.length > this.maxSize) throw corrupt(`compressed chunk of ${input.length} bytes is larger than the ${this.maxSize}-byte window`)
    const out = this.output
    const reader = this.reader
    this.input.set(input)
    reader.reset(this.input.subarray(0, input.length))
    this.mainLens.fill(0)
    this.lenLens.fill(0)
    this.r0 = this.r1 = this.r2 = 1
    let at = 0
    while (at < outputSize) {
      const type = reader.read(3)
      let size = reader.read(1) ? DEFAULT_BLOCK_SIZE : reader.read(16)
      if (this.wideSizes && size !== DEFAULT_BLOCK_SIZE) size = size * 256 + reader.read(8)
      if (size === 0 || size > outputSize - at) throw corrupt(`block of ${size} bytes where ${outputSize - at} remain`)
      if (type === BLOCK_UNCOMPRESSED) {
        at = this.copyUncompressed(out, at, size)
        continue
      }
      if (type !== BLOCK_VERBATIM && type !== BLOCK_ALIGNED) throw corrupt(`block type ${type}`)
      this.readCodes(type === BLOCK_ALIGNED)
      at = this.decodeBlock(at, at + size, type === BLOCK_ALIGNED)
      if (reader.overran()) throw corrupt('data ends in the middle of a block')
    }
    const result = out.slice(0, outputSize)
    untranslateE8(result)
    return result
  }

  private copyUncompressed(out: Uint8Array, at: number, size: number): number {
    const reader = this.reader
    reader.alignToWord()
    if (reader.bytesLeft() < 12 + size) throw corrupt('uncompressed block runs past the end of the data')
    this.r0 = reader.readU32()
    this.r1 = reader.readU32()
    this.r2 = reader.readU32()
    if (this.r0 === 0 || this.r1 === 0 || this.r2 === 0) throw corrupt('recent offset of 0 in an uncompressed block')
    out.set(reader.input.subarray(reader.pos, reader.pos + size), at)
    // The stream goes on at a 16-bit boundary; a final pad byte may be left out.
    reader.pos += size + (size & 1 && reader.bytesLeft() > size ? 1 : 0)
    return at + size
  }

  private readCodes(aligned: boolean): void {
    const reader = this.reader
    if (aligned) {
      for (let s = 0; s < ALIGNED_SYMBOLS; s++) this.alignedLens[s] = reader.read(ALIGNED_ELEMENT_BITS)
      if (!buildDecodeTable(this.alignedLens, ALIGNED_SYMBOLS, ALIGNED_TABLE_BITS, MAX_ALIGNED_CODEWORD, this.alignedTable)) {
        throw corrupt('invalid aligned offset code')
      }
    }
    this.readLengths(this.mainLens, 0, NUM_CHARS)
    this.readLengths(this.mainLens, NUM_CHARS, this.numMain)
    this.readLengths(this.lenLens, 0, NUM_LEN_SYMBOLS)
    // An empty main code (a table of zeros) cannot describe a block of one byte or more.
    if (!buildDecodeTable(this.mainLens, this.numMain, MAIN_TABLE_BITS, MAX_MAIN_CODEWORD, this.mainTable) || this.mainTable[0] === 0) {
      throw corrupt('invalid main code')
    }
    if (!buildDecodeTable(this.lenLens, NUM_LEN_SYMBOLS, LEN_TABLE_BITS, MAX_LEN_CODEWORD, this.lenTable)) throw corrupt('invalid length code')
  }

  /**
   * Reads the precode, then with it the code lengths [start, end) of a larger code, each
   * sent as a change (mod 17) from its value in the previous block, with runs of zeros and
   * runs of one change.
   */
  private readLengths(lens: Uint8Array, start: number, end: number): void {
    const reader = this.reader
    for (let s = 0; s < PRECODE_SYMBOLS; s++) this.preLens[s] = reader.read(PRECODE_ELEMENT_BITS)
    if (!buildDecodeTable(this.preLens, PRECODE_SYMBOLS, PRE_TABLE_BITS, MAX_PRE_CODEWORD, this.preTable)) throw corrupt('invalid precode')
    let i = start
    while (i < end) {
      const sym = reader.symbol(this.preTable, PRE_TABLE_BITS)
      if (sym < 17) {
        lens[i] = (lens[i] + 17 - sym) % 17
        i++
        continue
      }
      let run: number
      let value = 0
      if (sym === 17) {
        run = 4 + reader.read(4)
      } else if (sym === 18) {
        run = 20 + reader.read(5)
      } else {
        run = 4 + reader.read(1)
        const delta = reader.symbol(this.preTable, PRE_TABLE_BITS)
        if (delta > 17) throw corrupt('run of code lengths with a run symbol as its value')
        value = (lens[i] + 17 - delta) % 17
      }
      lens.fill(value, i, i + run)
      i += run
    }
  }

  /** Decodes literals and matches into output[at, end), in the kernel; returns end. */
  private decodeBlock(at: number, end: number, aligned: boolean): number {
    const { reader, state } = this
    state[FIELD.window] = reader.window
    state[FIELD.count] = reader.count
    state[FIELD.pos] = reader.pos
    state[FIELD.r0] = this.r0
    state[FIELD.r1] = this.r1
    state[FIELD.r2] = this.r2
    if (this.kernel.decodeBlock(at, end, reader.input.length, aligned) < 0) {
      const problem = PROBLEMS[state[FIELD.problem]]
      throw corrupt(problem ? problem(state) : `block decoder problem ${state[FIELD.problem]}`)
    }
    reader.window = state[FIELD.window]
    reader.count = state[FIELD.count]
    reader.pos = state[FIELD.pos]
    this.r0 = state[FIELD.r0]
    this.r1 = state[FIELD.r1]
    this.r2 = state[FIELD.r2]
    return end
  }
}
