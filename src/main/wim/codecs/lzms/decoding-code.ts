import { AppError } from '../../../../shared/errors'
import { buildDecodeTable, decodeTableSize } from '../huffman'
import { AdaptiveCode, type CodeLengthBuilder } from './adaptive-huffman'
import { MAX_CODEWORD_LENGTH } from './constants'

/**
 * An adaptive code on the decoding side: a decode table (see huffman.ts) rebuilt with the
 * code. The lookup itself is inlined in LzmsDecompressor's loop.
 */
export class DecodingCode extends AdaptiveCode {
  readonly table: Uint32Array

  constructor(
    maxSymbols: number,
    period: number,
    readonly tableBits: number,
    builder: CodeLengthBuilder,
  ) {
    super(maxSymbols, period, builder)
    this.table = new Uint32Array(decodeTableSize(Math.max(2, maxSymbols), tableBits, MAX_CODEWORD_LENGTH))
  }

  protected codeChanged(numSymbols: number): void {
    // Codes built from frequencies are always complete; this only guards the invariant.
    if (!buildDecodeTable(this.lengths, numSymbols, this.tableBits, MAX_CODEWORD_LENGTH, this.table)) {
      throw new AppError('INTERNAL', 'LZMS: built an invalid Huffman code')
    }
  }

  /** Counts a decoded symbol, and rebuilds the code when its period is over. */
  count(symbol: number): void {
    this.freqs[symbol]!++
    if (--this.remaining === 0) this.rebuild()
  }
}
