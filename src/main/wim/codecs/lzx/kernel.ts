/**
 * The LZX kernel (kernel.as.ts): the match finder's tree walk and the parser's path search in
 * one WebAssembly module, each compressor with its own instance. Its memory is laid out once,
 * here, so views that MatchFinder and NearOptimalParser make of it afterwards stay valid.
 */
import { instantiateKernel } from '../wasm-kernel'
import kernelBytes from './kernel.wasm'

export interface LzxKernel {
  memory: WebAssembly.Memory
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

interface KernelSetup {
  setup(positions: number, cacheCapacity: number): void
  setupParser(maxBlock: number, numMain: number, numSlots: number): void
}

export interface LzxKernelSizes {
  /** Chunk size: positions the match finder holds. */
  positions: number
  /** Match cache entries. */
  cacheCapacity: number
  /** Positions a block holds at most. */
  maxBlock: number
  numMain: number
  numSlots: number
}

export function createLzxKernel(sizes: LzxKernelSizes): LzxKernel {
  const kernel = instantiateKernel<LzxKernel & KernelSetup>(kernelBytes)
  kernel.setup(sizes.positions, sizes.cacheCapacity)
  kernel.setupParser(sizes.maxBlock, sizes.numMain, sizes.numSlots)
  return kernel
}
