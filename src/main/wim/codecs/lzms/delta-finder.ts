/** Buckets of the hash table shared by all spans: up to 2^17, about two per byte of chunk. */
const MAX_HASH_BITS = 17
const MIN_HASH_BITS = 10
/** Spans 2^0 to 2^5 are searched (the format allows up to 2^7; wider ones rarely pay). */
export const NUM_POWERS_SEARCHED = 6
/** Table entries are position * 8 + power: delta matching stops 256 MiB into a chunk. */
const MAX_POSITION = 2 ** 28
/** Bytes whose differences are hashed: also the shortest explicit delta match. */
export const DELTA_HASHED_BYTES = 3

/**
 * Finds delta-match candidates: for each span, the last earlier position whose next three
 * byte differences (each byte minus the one a span before) hash like the current ones. The
 * hash also covers the span and the position modulo the span, so one table serves every span.
 * Candidates are unverified; the parser checks and extends them.
 */
export class DeltaMatchFinder {
  private readonly hashShift: number
  /** Per bucket: the last position hashed there (times 8) plus its power, or -1. */
  private readonly table: Int32Array
  private data: Uint8Array = new Uint8Array(0)
  private size = 0
  /** Candidate position for each power at the last position added, or -1. */
  readonly candidates = new Int32Array(NUM_POWERS_SEARCHED)

  constructor(maxSize: number) {
    const bits = Math.max(MIN_HASH_BITS, Math.min(MAX_HASH_BITS, Math.ceil(Math.log2(maxSize)) + 1))
    this.hashShift = 32 - bits
    this.table = new Int32Array(1 << bits)
  }

  reset(data: Uint8Array, size: number): void {
    this.data = data
    this.size = size
    this.table.fill(-1)
  }

  /** Adds position `pos` (every position, in order) and fills `candidates`. */
  find(pos: number): void {
    const { data, table, candidates } = this
    for (let power = 0; power < NUM_POWERS_SEARCHED; power++) {
      candidates[power] = -1
      const span = 1 << power
      if (pos < span || pos + DELTA_HASHED_BYTES > this.size || pos >= MAX_POSITION) continue
      const d0 = (data[pos]! - data[pos - span]!) & 0xff
      const d1 = (data[pos + 1]! - data[pos + 1 - span]!) & 0xff
      const d2 = (data[pos + 2]! - data[pos + 2 - span]!) & 0xff
      const key = ((span + (pos & (span - 1))) << 24) | (d2 << 16) | (d1 << 8) | d0
      const hash = Math.imul(key, 0x9e3779b1) >>> this.hashShift
      const entry = table[hash]!
      if ((entry & 7) === power) candidates[power] = entry >> 3
      table[hash] = (pos << 3) | power
    }
  }
}
