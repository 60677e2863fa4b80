import { canonicalCodes } from '../huffman'
import { AdaptiveCode } from './adaptive-huffman'
import type { BackwardBitWriter } from './bit-writer'
import { MAX_CODEWORD_LENGTH } from './constants'

/** An adaptive code on the encoding side: canonical codewords rebuilt with the code. */
export class EncodingCode extends AdaptiveCode {
  private readonly codewords = new Uint32Array(this.lengths.length)
  /** Counts rebuilds, so that cost tables derived from the lengths know when to refresh. */
  version = 0

  protected codeChanged(numSymbols: number): void {
    canonicalCodes(this.lengths, numSymbols, MAX_CODEWORD_LENGTH, this.codewords)
    this.version++
  }

  /** Writes a symbol, counts it, and rebuilds the code when its period is over. */
  encode(writer: BackwardBitWriter, symbol: number): void {
    writer.write(this.codewords[symbol]!, this.lengths[symbol]!)
    this.freqs[symbol]!++
    if (--this.remaining === 0) this.rebuild()
  }
}
