/**
 * As many 4-byte heads as a chunk has positions, and a quarter as many 3-byte ones: smaller
 * tables lose matches to collisions, and time too through the longer chains.
 */
const HASH4_BITS = 16
const HASH3_BITS = 14

/**
 * Positions whose 4 bytes hash alike are chained, newest first, in 16-bit entries (small tables
 * stay in cache). This value ends a chain: no chunk position that far in has 4 bytes after it.
 */
const NONE = 0xffff

/**
 * A hash-chain match finder over one chunk (XPRESS chunks are independent, so there is no
 * sliding window). Candidates for matches of 4 bytes or more come from chains of positions
 * with the same 4-byte hash; a separate table remembers only the latest position of each
 * 3-byte hash, because a length-3 match pays off only when it is close.
 *
 * Bytes are compared 4 at a time through a DataView (an unaligned load once optimised).
 *
 * Positions are visited in increasing order, each at most once, through longestMatch or skip;
 * one never visited is simply never a match source.
 */
export class HashChainMatchFinder {
  private readonly head4 = new Uint16Array(1 << HASH4_BITS)
  private readonly head3 = new Uint16Array(1 << HASH3_BITS)
  private readonly prev: Uint16Array
  private data: Uint8Array = new Uint8Array(0)
  private view = new DataView(this.data.buffer)
  private end = 0
  /** Offset of the match the last longestMatch call found (valid when it returned more than its `best`). */
  offset = 0

  constructor(maxChunkSize: number) {
    this.prev = new Uint16Array(maxChunkSize)
  }

  /** Starts on a new chunk, forgetting the previous one. */
  begin(data: Uint8Array): void {
    this.data = data
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    this.end = data.length
    this.head4.fill(NONE)
    this.head3.fill(NONE)
  }

  /**
   * Records position `pos` and returns the length of the longest earlier match there, if longer
   * than `best`; otherwise returns `best`. The search stops at a match of `nice` bytes or after
   * `depth` candidates.
   */
  longestMatch(pos: number, best: number, nice: number, depth: number): number {
    const end = this.end
    if (end - pos < 4) return best
    const view = this.view
    const four = view.getInt32(pos, true)
    const h3 = Math.imul(four & 0xffffff, 0x9e3779b1) >>> (32 - HASH3_BITS)
    const h4 = Math.imul(four, 0x1e35a7bd) >>> (32 - HASH4_BITS)
    const head3 = this.head3
    const head4 = this.head4
    const prev = this.prev
    const near = head3[h3]!
    head3[h3] = pos
    let candidate = head4[h4]!
    prev[pos] = candidate
    head4[h4] = pos

    const maxLength = end - pos
    if (best >= maxLength) return best
    if (nice > maxLength) nice = maxLength
    const data = this.data
    let bestLength = best
    if (bestLength < 3 && near !== NONE && ((view.getInt32(near, true) ^ four) & 0xffffff) === 0) {
      bestLength = 3
      this.offset = pos - near
    }
    // The last 4 bytes a candidate needs to beat bestLength, compared first: most fail there.
    let tail = bestLength - 3
    if (tail < 0) tail = 0
    let tailWord = view.getInt32(pos + tail, true)
    while (candidate !== NONE && depth-- > 0) {
      if (view.getInt32(candidate + tail, true) === tailWord && view.getInt32(candidate, true) === four) {
        let length = 4
        while (length + 4 <= maxLength && view.getInt32(candidate + length, true) === view.getInt32(pos + length, true)) length += 4
        while (length < maxLength && data[candidate + length] === data[pos + length]) length++
        if (length > bestLength) {
          bestLength = length
          this.offset = pos - candidate
          if (length >= nice) break
          tail = length - 3
          tailWord = view.getInt32(pos + tail, true)
        }
      }
      candidate = prev[candidate]!
    }
    return bestLength
  }

  /** Records positions [pos, pos + count) without searching (they are inside a chosen match). */
  skip(pos: number, count: number): void {
    const stop = Math.min(pos + count, this.end - 3)
    const view = this.view
    const head3 = this.head3
    const head4 = this.head4
    const prev = this.prev
    for (; pos < stop; pos++) {
      const four = view.getInt32(pos, true)
      const h4 = Math.imul(four, 0x1e35a7bd) >>> (32 - HASH4_BITS)
      head3[Math.imul(four & 0xffffff, 0x9e3779b1) >>> (32 - HASH3_BITS)] = pos
      prev[pos] = head4[h4]!
      head4[h4] = pos
    }
  }
}
