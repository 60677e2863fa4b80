/** Buckets of the 3-byte hash that roots each binary tree: up to 2^16, one per byte of window. */
const MAX_HASH3_BITS = 16
const MIN_HASH3_BITS = 10
/** Every 2-byte value has its own slot: the most recent position it occurred at. */
const HASH2_SIZE = 1 << 16
/** Bytes hashed to find matches beyond the window; also their shortest length. */
const FAR_BYTES = 6
/** Buckets of that hash: about one per 16 bytes of chunk, at most 2^22 (16 MiB). */
const MAX_FAR_HASH_BITS = 22
/** Longest match reported; the parser extends longer ones itself. */
export const MAX_REPORTED_LENGTH = 255

/**
 * Finds LZ matches. Near ones (within `window` bytes) come from binary trees, one per 3-byte
 * hash: the positions with the same hash kept as a binary search tree of the strings starting
 * there, re-rooted at each new position. Walking down from the root meets ever longer matches,
 * nearest first among equals; the walk stops after `maxDepth` nodes, or when a match reaches
 * the nice length (then the new position takes that node's place). Two-byte matches come from
 * a direct table. Farther matches, in chunks larger than the window, come from a hash of 6
 * bytes: one candidate per position, the last one with that hash. Across a solid chunk the
 * matches worth their long offsets are long ones, which that finds; trees over the whole chunk
 * would be cache misses at every step (a 4 MiB window is half as fast as 128 KiB).
 *
 * Memory: two int32 child links per byte of window (8 bytes per byte), plus the far table
 * (4 bytes per 16 bytes of chunk, at most 16 MiB) and 512 KiB.
 */
export class MatchFinder {
  private readonly window: number
  private readonly children: Int32Array
  private readonly hash3Shift: number
  private readonly heads3: Int32Array
  private readonly heads2 = new Int32Array(HASH2_SIZE)
  private readonly farShift: number
  private readonly far: Int32Array
  private data: Uint8Array = new Uint8Array(0)
  private size = 0
  /** The matches found at the last position: lengths rising, with their offsets. */
  readonly lengths = new Uint32Array(MAX_REPORTED_LENGTH + 1)
  readonly offsets = new Uint32Array(MAX_REPORTED_LENGTH + 1)

  constructor(
    maxSize: number,
    private readonly niceLength: number,
    private readonly maxDepth: number,
    windowLog: number,
  ) {
    const sizeLog = Math.ceil(Math.log2(Math.max(maxSize, 2)))
    this.window = 2 ** Math.min(windowLog, sizeLog)
    this.children = new Int32Array(2 * this.window)
    const hash3Bits = Math.max(MIN_HASH3_BITS, Math.min(MAX_HASH3_BITS, Math.log2(this.window)))
    this.hash3Shift = 32 - hash3Bits
    this.heads3 = new Int32Array(1 << hash3Bits)
    const farBits = maxSize > this.window ? Math.min(MAX_FAR_HASH_BITS, sizeLog - 4) : 0
    this.farShift = 32 - farBits
    this.far = new Int32Array(farBits > 0 ? 1 << farBits : 0)
  }

  reset(data: Uint8Array, size: number): void {
    this.data = data
    this.size = size
    this.heads3.fill(-1)
    this.heads2.fill(-1)
    this.far.fill(-1)
  }

  /**
   * Adds position `pos` (every position must be added, in order) and returns how many matches
   * it has with earlier data, in `lengths` and `offsets`. With `report` false it only adds.
   */
  find(pos: number, report: boolean): number {
    const { data, children } = this
    const remaining = this.size - pos
    if (remaining < 3) return 0
    let count = 0
    let best = 1

    const key2 = data[pos]! | (data[pos + 1]! << 8)
    const previous2 = this.heads2[key2]!
    this.heads2[key2] = pos
    if (previous2 >= 0 && report) {
      this.lengths[0] = 2
      this.offsets[0] = pos - previous2
      count = 1
      best = 2
    }

    const maxLength = Math.min(remaining, this.niceLength)
    const mask = this.window - 1
    const hash = Math.imul((data[pos]! << 16) | (data[pos + 1]! << 8) | data[pos + 2]!, 0x9e3779b1) >>> this.hash3Shift
    let node = this.heads3[hash]!
    this.heads3[hash] = pos
    // Where the next node smaller (left) or larger (right) than the new string hangs, and
    // how many leading bytes all nodes on that side are known to share with it.
    let leftSlot = 2 * (pos & mask)
    let rightSlot = leftSlot + 1
    let leftLength = 0
    let rightLength = 0
    // A node's links live in the slot of its position modulo the window: older nodes are gone.
    for (let depth = this.maxDepth; node >= 0 && pos - node <= mask; ) {
      let length = Math.min(leftLength, rightLength)
      while (length < maxLength && data[node + length] === data[pos + length]) length++
      if (length > best) {
        best = length
        if (report) {
          this.lengths[count] = length
          this.offsets[count] = pos - node
          count++
        }
        if (length === maxLength) {
          // The strings agree as far as we look: the new position replaces the node.
          children[leftSlot] = children[2 * (node & mask)]!
          children[rightSlot] = children[2 * (node & mask) + 1]!
          return this.findFar(pos, count, best, maxLength, report)
        }
      }
      if (data[node + length]! < data[pos + length]!) {
        children[leftSlot] = node
        leftSlot = 2 * (node & mask) + 1
        leftLength = length
        node = children[leftSlot]!
      } else {
        children[rightSlot] = node
        rightSlot = 2 * (node & mask)
        rightLength = length
        node = children[rightSlot]!
      }
      if (--depth === 0) break
    }
    children[leftSlot] = -1
    children[rightSlot] = -1
    return this.findFar(pos, count, best, maxLength, report)
  }

  /** Adds the far candidate, if it beats the matches found so far; returns the new count. */
  private findFar(pos: number, count: number, best: number, maxLength: number, report: boolean): number {
    if (this.far.length === 0 || this.size - pos < FAR_BYTES) return count
    const data = this.data
    const low = data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16) | (data[pos + 3]! << 24)
    const high = data[pos + 4]! | (data[pos + 5]! << 8)
    const hash = Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> this.farShift
    const candidate = this.far[hash]!
    this.far[hash] = pos
    if (!report || candidate < 0 || best >= maxLength) return count
    let length = 0
    while (length < maxLength && data[candidate + length] === data[pos + length]) length++
    if (length < FAR_BYTES || length <= best) return count
    this.lengths[count] = length
    this.offsets[count] = pos - candidate
    return count + 1
  }
}
