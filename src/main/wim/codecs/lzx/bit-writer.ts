/**
 * The LZX output bitstream: bits gathered most significant first into 16-bit words, each
 * stored little-endian. Output stops at `limit` (the compressed chunk must come out smaller
 * than the input, so a larger result is useless); `overflowed` then tells the caller to
 * store the chunk raw. A writer can go back to a saved state, which is how a block is tried
 * compressed and then written uncompressed instead.
 */
export class BitWriter {
  readonly out: Uint8Array
  /** Next byte of `out` to write. */
  pos = 0
  /** Pending bits in the low `count` bits (count < 16 between calls). */
  bits = 0
  count = 0
  limit = 0
  overflowed = false

  constructor(capacity: number) {
    this.out = new Uint8Array(capacity)
  }

  reset(limit: number): void {
    this.pos = 0
    this.bits = 0
    this.count = 0
    this.limit = Math.min(limit, this.out.length)
    this.overflowed = false
  }

  /** Appends the low `n` bits of `value` (n <= 16). */
  put(value: number, n: number): void {
    this.bits = (this.bits << n) | value
    this.count += n
    if (this.count >= 16) {
      this.count -= 16
      const word = this.bits >>> this.count
      const pos = this.pos
      if (pos + 2 > this.limit) {
        this.overflowed = true
        return
      }
      this.out[pos] = word
      this.out[pos + 1] = word >>> 8
      this.pos = pos + 2
    }
  }

  /**
   * Pads to the 16-bit boundary where an uncompressed block's fields start, with a whole
   * zero word when already on one, as decoders expect.
   */
  padToWord(): void {
    this.put(0, 16 - this.count)
  }

  /** Raw bytes, after padToWord(). */
  putBytes(bytes: Uint8Array): void {
    if (this.pos + bytes.length > this.limit) {
      this.overflowed = true
      return
    }
    this.out.set(bytes, this.pos)
    this.pos += bytes.length
  }

  putU32(value: number): void {
    if (this.pos + 4 > this.limit) {
      this.overflowed = true
      return
    }
    const { out, pos } = this
    out[pos] = value
    out[pos + 1] = value >>> 8
    out[pos + 2] = value >>> 16
    out[pos + 3] = value >>> 24
    this.pos = pos + 4
  }

  /** Writes the last partial word; returns the stream's length in bytes. */
  finish(): number {
    if (this.count > 0) this.put(0, 16 - this.count)
    return this.pos
  }

  /** Remembers the current state, to come back to it with restore(). */
  save(): void {
    this.savedPos = this.pos
    this.savedBits = this.bits
    this.savedCount = this.count
    this.savedOverflowed = this.overflowed
  }

  restore(): void {
    this.pos = this.savedPos
    this.bits = this.savedBits
    this.count = this.savedCount
    this.overflowed = this.savedOverflowed
  }

  private savedPos = 0
  private savedBits = 0
  private savedCount = 0
  private savedOverflowed = false
}
