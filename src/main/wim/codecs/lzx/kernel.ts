/**
 * The LZX kernel (kernel.as.ts): the compressor's match finder and path search, and the
 * decompressor's block loop, in one WebAssembly module. Each compressor and each
 * decompressor has its own instance, set up for its side only, so a worker that only
 * decompresses never pays for the match finder's memory. An instance's memory is laid out
 * once, here, so views made of it afterwards stay valid.
 */
import { instantiateKernel } from '../wasm-kernel'
import kernelBytes from './kernel.wasm'

interface Instance {
  memory: WebAssembly.Memory
}

export interface LzxCompressorKernel extends Instance {
  inputAddress(): number
  slottedAddress(): number
  lengthsAddress(): number
  offsetsAddress(): number
  reset(length: number): void
  cacheRange(from: number, to: number, niceLength: number, maxDepth: number, at: number): number
  itemAddress(): number
  gapMatchAddress(): number
  mainCostAddress(): number
  matchCostAddress(): number
  alignedCostAddress(): number
  recentAddress(): number
  findPath(start: number, size: number, r0: number, r1: number, r2: number): void
}

export interface LzxDecompressorKernel extends Instance {
  decoderInputAddress(): number
  decoderOutputAddress(): number
  mainTableAddress(): number
  lenTableAddress(): number
  alignedTableAddress(): number
  decoderStateAddress(): number
  decodeBlock(start: number, end: number, inputLength: number, aligned: boolean): number
}

interface Setup {
  setup(positions: number, cacheCapacity: number): void
  setupParser(maxBlock: number, numMain: number, numSlots: number): void
  setupDecoder(maxSize: number, mainTableSize: number, lenTableSize: number, alignedTableSize: number): void
}

export interface LzxCompressorSizes {
  /** Chunk size: positions the match finder holds. */
  positions: number
  /** Match cache entries. */
  cacheCapacity: number
  /** Positions a block holds at most. */
  maxBlock: number
  numMain: number
  numSlots: number
}

export function createCompressorKernel(sizes: LzxCompressorSizes): LzxCompressorKernel {
  const kernel = instantiateKernel<LzxCompressorKernel & Setup>(kernelBytes)
  kernel.setup(sizes.positions, sizes.cacheCapacity)
  kernel.setupParser(sizes.maxBlock, sizes.numMain, sizes.numSlots)
  return kernel
}

/** For chunks of up to `maxSize` bytes, with decode tables of the given sizes (entries). */
export function createDecompressorKernel(maxSize: number, tables: { main: number; len: number; aligned: number }): LzxDecompressorKernel {
  const kernel = instantiateKernel<LzxDecompressorKernel & Setup>(kernelBytes)
  kernel.setupDecoder(maxSize, tables.main, tables.len, tables.aligned)
  return kernel
}
