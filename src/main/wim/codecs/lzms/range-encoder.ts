import { PROBABILITY_BITS } from './constants'
import type { DecisionModels } from './probability'

/**
 * Encodes the forward half of an LZMS chunk: a binary range coder writing 16-bit little-endian
 * words from the start (its decoder is inlined in LzmsDecompressor's loop). The low end of the
 * range is a 33-bit number (its top bit a carry); a word equal to 0xffff, and the one before
 * it, are held back until it is known whether a carry reaches them. The first word a classic
 * encoder emits is a dummy the LZMS decoder does not skip, so it is dropped here.
 */
export class RangeEncoder {
  private out: Uint8Array = new Uint8Array(0)
  private low = 0
  private range = 0
  private cache = 0
  private cacheSize = 0
  /** Byte index of the next word to write; starts one word before the buffer (the dummy). */
  pos = 0
  /** Bytes the encoder may use; past that it only counts (the result is then discarded). */
  limit = 0

  init(out: Uint8Array, limit: number): void {
    this.out = out
    this.limit = limit
    this.low = 0
    this.range = 0xffffffff
    this.cache = 0
    this.cacheSize = 1
    this.pos = -2
  }

  encodeBit(models: DecisionModels, decision: number, bit: number): void {
    const prob = models.probability(decision)
    models.update(decision, bit)
    if (this.range <= 0xffff) {
      this.range = (this.range << 16) >>> 0
      this.shiftLow()
    }
    const bound = (this.range >>> PROBABILITY_BITS) * prob
    if (bit === 0) {
      this.range = bound
    } else {
      this.low += bound
      this.range -= bound
    }
  }

  /** Emits the rest of the low end: afterwards the decoder has every bit it needs. */
  flush(): void {
    for (let i = 0; i < 4; i++) this.shiftLow()
  }

  private shiftLow(): void {
    const low = this.low
    if (low < 0xffff0000 || low >= 0x100000000) {
      const carry = low >= 0x100000000 ? 1 : 0
      do {
        this.writeWord((this.cache + carry) & 0xffff)
        this.cache = 0xffff
      } while (--this.cacheSize !== 0)
      this.cache = Math.floor(low / 0x10000) & 0xffff
    }
    this.cacheSize++
    this.low = (low % 0x10000) * 0x10000
  }

  private writeWord(word: number): void {
    const pos = this.pos
    if (pos >= 0 && pos + 2 <= this.limit) {
      this.out[pos] = word
      this.out[pos + 1] = word >>> 8
    }
    this.pos = pos + 2
  }
}
