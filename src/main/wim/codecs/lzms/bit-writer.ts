/**
 * Writes the backward half of an LZMS chunk: bits packed most significant first into 16-bit
 * little-endian words that fill the buffer from its end towards its start.
 */
export class BackwardBitWriter {
  private out: Uint8Array = new Uint8Array(0)
  /** Pending bits, in the low `count` bits. */
  private bits = 0
  private count = 0
  /** Byte index just past the next word to write; below 0 it only counts. */
  pos = 0

  /** Writes downwards from `end`; words that would go below the buffer are dropped (the result is then discarded). */
  init(out: Uint8Array, end: number): void {
    this.out = out
    this.bits = 0
    this.count = 0
    this.pos = end
  }

  /** Appends the low `count` (at most 16) bits of `value`. */
  write(value: number, count: number): void {
    this.bits = (this.bits << count) | value
    this.count += count
    if (this.count >= 16) {
      this.count -= 16
      this.writeWord(this.bits >>> this.count)
    }
  }

  /** Appends up to 30 bits. */
  writeLong(value: number, count: number): void {
    if (count > 16) {
      this.write(Math.floor(value / 0x10000), count - 16)
      this.write(value & 0xffff, 16)
    } else {
      this.write(value, count)
    }
  }

  /** Pads the last word with zeros. */
  flush(): void {
    if (this.count > 0) {
      this.writeWord(this.bits << (16 - this.count))
      this.count = 0
    }
  }

  private writeWord(word: number): void {
    const pos = this.pos - 2
    if (pos >= 0) {
      this.out[pos] = word
      this.out[pos + 1] = word >>> 8
    }
    this.pos = pos
  }
}
