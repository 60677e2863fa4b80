/**
 * Recognises a chunk that cannot shrink (random, encrypted or compressed before) before the
 * match finder runs over it: on such data that search is the whole cost of the chunk, and
 * all of it wasted.
 */

/** Bits at least, by order-0 entropy (which no Huffman code beats), of the symbols counted in `counts[0..n)`. */
export function order0Bits(counts: ArrayLike<number>, n: number): number {
  let total = 0
  let sumFLogF = 0
  for (let c = 0; c < n; c++) {
    const f = counts[c]!
    if (f) {
      total += f
      sumFLogF += f * Math.log2(f)
    }
  }
  return total ? total * Math.log2(total) - sumFLogF : 0
}

const PROBE_BITS = 12

export class RandomnessCheck {
  private readonly histogram = new Uint32Array(256)
  private readonly latest = new Int32Array(1 << PROBE_BITS)

  /**
   * Whether `data` costs its own size or more even if every repeat of 4 bytes or more were
   * free: its bytes' order-0 entropy plus `overheadBits` (the smallest code tables), less 8
   * bits per byte that a one-probe hash table sees repeated. The probe misses repeats,
   * which is why it runs only when the entropy alone leaves no room.
   */
  hopeless(data: Uint8Array, overheadBits: number): boolean {
    const { histogram, latest } = this
    const size = data.length
    histogram.fill(0)
    for (let i = 0; i < size; i++) histogram[data[i]!]!++
    const room = 8 * size - overheadBits - order0Bits(histogram, 256)
    if (room > 0) return false
    latest.fill(-1)
    let repeated = 0
    let word = 0
    for (let i = 0; i < size; i++) {
      word = ((word << 8) | data[i]!) | 0
      if (i < 3) continue
      const h = Math.imul(word, 0x9e3779b1) >>> (32 - PROBE_BITS)
      const candidate = latest[h]!
      latest[h] = i
      if (candidate >= 0 && data[candidate] === data[i] && data[candidate - 1] === data[i - 1] && data[candidate - 2] === data[i - 2] && data[candidate - 3] === data[i - 3]) repeated++
    }
    return room + 8 * repeated <= 0
  }
}
