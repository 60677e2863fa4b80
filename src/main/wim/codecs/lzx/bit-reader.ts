/**
 * The LZX input bitstream: 16-bit little-endian words, each read from its most significant
 * bit. Past the end of the input it reads zeros, as wimlib's does, so a lookahead near the
 * end is harmless; whether bits past the end were actually consumed is checked with
 * `overran()`, which is how a truncated chunk is told from a complete one.
 *
 * The block decoder copies `window`, `count` and `pos` into locals for its hot loop and
 * stores them back; the methods here serve the block headers.
 */
import { decodeSymbol } from '../huffman'

export class BitReader {
  input: Uint8Array = new Uint8Array(0)
  /** The next `count` bits of the stream, most significant first (a signed 32-bit value). */
  window = 0
  count = 0
  /** Next byte to load into the window; it may run past the end. */
  pos = 0

  reset(input: Uint8Array): void {
    this.input = input
    this.window = 0
    this.count = 0
    this.pos = 0
  }

  /** Makes at least 16 bits available. */
  refill(): void {
    if (this.count < 16) {
      const { input, pos } = this
      this.window |= (pos + 1 < input.length ? input[pos] | (input[pos + 1] << 8) : 0) << (16 - this.count)
      this.pos = pos + 2
      this.count += 16
    }
  }

  /** Reads 1..16 bits as an unsigned number. */
  read(n: number): number {
    this.refill()
    const value = this.window >>> (32 - n)
    this.window <<= n
    this.count -= n
    return value
  }

  /** Reads one Huffman-coded symbol (see huffman.ts for the table's layout). */
  symbol(table: Uint32Array, tableBits: number): number {
    this.refill()
    const entry = decodeSymbol(table, tableBits, this.window >>> 0)
    const length = entry & 0xff
    this.window <<= length
    this.count -= length
    return entry >>> 8
  }

  /**
   * Moves to the 16-bit boundary where an uncompressed block's fields start: the end of
   * the word being read, or past one whole word when the stream is already on a boundary
   * (a quirk of the format that every LZX decoder reproduces).
   */
  alignToWord(): void {
    const consumed = this.pos * 8 - this.count
    this.pos = (Math.floor(consumed / 16) + 1) * 2
    this.window = 0
    this.count = 0
  }

  /** Bytes still in the input after an alignment (raw fields are read bytewise). */
  bytesLeft(): number {
    return this.input.length - this.pos
  }

  readU32(): number {
    const { input, pos } = this
    this.pos = pos + 4
    return (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0
  }

  /** Whether more bits were consumed than the input holds. */
  overran(): boolean {
    return this.pos * 8 - this.count > (this.input.length & ~1) * 8
  }
}
