/** Buckets of the 3-byte hash that roots each binary tree: up to 2^16, one per byte of chunk. */
const MAX_HASH3_BITS = 16
const MIN_HASH3_BITS = 10
/** Every 2-byte value has its own slot: the most recent position it occurred at. */
const HASH2_SIZE = 1 << 16
/** Longest match reported; the parser extends longer ones itself. */
export const MAX_REPORTED_LENGTH = 255

/**
 * Finds LZ matches with binary trees (one per 3-byte hash): the positions with the same hash
 * are kept as a binary search tree of the strings starting there, re-rooted at each new
 * position. Walking down from the root meets ever longer matches, nearest first among equals;
 * the walk stops after `maxDepth` nodes, or when a match reaches the nice length (then the new
 * position simply takes that node's place). Two-byte matches come from a direct table.
 *
 * Memory: two int32 child links per position of the chunk (8 bytes per byte), plus 512 KiB.
 */
export class MatchFinder {
  private readonly children: Int32Array
  private readonly hash3Shift: number
  private readonly heads3: Int32Array
  private readonly heads2 = new Int32Array(HASH2_SIZE)
  private data: Uint8Array = new Uint8Array(0)
  private size = 0
  /** The matches found at the last position: lengths rising, with their offsets. */
  readonly lengths = new Uint32Array(MAX_REPORTED_LENGTH + 1)
  readonly offsets = new Uint32Array(MAX_REPORTED_LENGTH + 1)

  constructor(
    maxSize: number,
    private readonly niceLength: number,
    private readonly maxDepth: number,
  ) {
    this.children = new Int32Array(2 * maxSize)
    const bits = Math.max(MIN_HASH3_BITS, Math.min(MAX_HASH3_BITS, Math.ceil(Math.log2(maxSize))))
    this.hash3Shift = 32 - bits
    this.heads3 = new Int32Array(1 << bits)
  }

  reset(data: Uint8Array, size: number): void {
    this.data = data
    this.size = size
    this.heads3.fill(-1)
    this.heads2.fill(-1)
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
    const hash = Math.imul((data[pos]! << 16) | (data[pos + 1]! << 8) | data[pos + 2]!, 0x9e3779b1) >>> this.hash3Shift
    let node = this.heads3[hash]!
    this.heads3[hash] = pos
    // Where the next node smaller (left) or larger (right) than the new string hangs, and
    // how many leading bytes all nodes on that side are known to share with it.
    let leftSlot = 2 * pos
    let rightSlot = 2 * pos + 1
    let leftLength = 0
    let rightLength = 0
    for (let depth = this.maxDepth; node >= 0; ) {
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
          children[leftSlot] = children[2 * node]!
          children[rightSlot] = children[2 * node + 1]!
          return count
        }
      }
      if (data[node + length]! < data[pos + length]!) {
        children[leftSlot] = node
        leftSlot = 2 * node + 1
        leftLength = length
        node = children[leftSlot]!
      } else {
        children[rightSlot] = node
        rightSlot = 2 * node
        rightLength = length
        node = children[rightSlot]!
      }
      if (--depth === 0) break
    }
    children[leftSlot] = -1
    children[rightSlot] = -1
    return count
  }
}
