/**
 * The LZX codec's hot loops, in AssemblyScript compiled to WebAssembly by `npm run kernels`
 * (scripts/kernels.mjs): the match finder's tree walk (match-finder.as.ts) and the
 * near-optimal parser's path search (parser.as.ts), in one module so that the parser reads
 * the words and the match cache where the finder leaves them; and the decoder's block loop
 * (decoder.as.ts). kernel.ts instantiates it, set up as a compressor or as a decompressor.
 */
export { cacheRange, inputAddress, lengthsAddress, offsetsAddress, reset, setup, slottedAddress } from './match-finder.as'
export { alignedCostAddress, findPath, gapMatchAddress, itemAddress, mainCostAddress, matchCostAddress, recentAddress, setupParser } from './parser.as'
export { alignedTableAddress, decodeBlock, decoderInputAddress, decoderOutputAddress, decoderStateAddress, lenTableAddress, mainTableAddress, setupDecoder } from './decoder.as'
