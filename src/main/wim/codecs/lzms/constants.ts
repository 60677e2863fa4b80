/**
 * Numbers of the LZMS format. Microsoft never documented it; these are the values its
 * decompressor requires, as established by wimlib.
 */

/** Largest buffer LZMS can address; WIM chunks are far smaller (64 MiB at most in practice). */
export const MAX_BUFFER_SIZE = 1 << 30

/** Recent offsets a repeat match can name; each queue keeps one more for the delayed insert. */
export const NUM_REPS = 3
export const QUEUE_LENGTH = NUM_REPS + 1

/** Probabilities are n/64, n counting the zeros among the last 64 bits coded in that context. */
export const PROBABILITY_BITS = 6
export const PROBABILITY_DENOMINATOR = 1 << PROBABILITY_BITS
export const INITIAL_ZERO_COUNT = 48
/** The assumed history of each context: 0x0000000055555555 (48 zeros in 64 bits), as two halves. */
export const INITIAL_HISTORY_HIGH = 0
export const INITIAL_HISTORY_LOW = 0x55555555

/** Contexts (states) of each binary decision: the last 4, 5 or 6 decisions of that kind. */
export const NUM_MAIN_STATES = 16
export const NUM_MATCH_STATES = 32
export const NUM_LZ_STATES = 64
export const NUM_LZ_REP_STATES = 64
export const NUM_DELTA_STATES = 64
export const NUM_DELTA_REP_STATES = 64

export const NUM_LITERAL_SYMBOLS = 256
export const NUM_LENGTH_SYMBOLS = 54
export const NUM_DELTA_POWER_SYMBOLS = 8
export const MAX_NUM_OFFSET_SYMBOLS = 799
export const MAX_CODEWORD_LENGTH = 15

/** Symbols coded between two rebuilds of each adaptive Huffman code. */
export const LITERAL_REBUILD_PERIOD = 1024
export const LZ_OFFSET_REBUILD_PERIOD = 1024
export const LENGTH_REBUILD_PERIOD = 512
export const DELTA_OFFSET_REBUILD_PERIOD = 1024
export const DELTA_POWER_REBUILD_PERIOD = 512

/** x86 preprocessing: how far apart two uses of one target mark code, and how long that lasts. */
export const X86_ID_WINDOW_SIZE = 65535
export const X86_MAX_TRANSLATION_OFFSET = 1023

/**
 * Slot tables: slot s covers the values [base[s], base[s + 1]), base[s] plus extra[s] verbatim
 * bits. The extra-bit counts rise in runs (count, bits); the bases follow from them.
 */
function slotTables(runs: readonly (readonly [number, number])[]): { base: Uint32Array; extraBits: Uint8Array } {
  const total = runs.reduce((n, [count]) => n + count, 0)
  const base = new Uint32Array(total + 1)
  const extraBits = new Uint8Array(total)
  let slot = 0
  let value = 1
  for (const [count, bits] of runs) {
    for (let i = 0; i < count; i++, slot++) {
      base[slot] = value
      extraBits[slot] = bits
      value += 2 ** bits
    }
  }
  // One past the last slot: the largest value plus one, so base[s + 1] bounds every slot.
  base[slot] = value
  return { base, extraBits }
}

const OFFSET_SLOTS = slotTables([
  [8, 0], [9, 2], [7, 3], [10, 4], [15, 5], [15, 6], [20, 7], [20, 8], [30, 9], [33, 10], [40, 11],
  [42, 12], [45, 13], [60, 14], [73, 15], [80, 16], [85, 17], [95, 18], [105, 19], [6, 20], [1, 30],
])
export const OFFSET_SLOT_BASE = OFFSET_SLOTS.base
export const OFFSET_EXTRA_BITS = OFFSET_SLOTS.extraBits

const LENGTH_SLOTS = slotTables([
  [26, 0], [4, 1], [6, 2], [4, 3], [5, 4], [2, 5], [1, 6], [1, 7], [1, 8], [1, 9], [1, 10], [1, 16], [1, 30],
])
export const LENGTH_SLOT_BASE = LENGTH_SLOTS.base
export const LENGTH_EXTRA_BITS = LENGTH_SLOTS.extraBits

/** The slot of `value` in a slot-base table (binary search; the last entry is an end bound). */
export function slotOf(value: number, base: Uint32Array): number {
  let lo = 0
  let hi = base.length - 2
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (base[mid]! <= value) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Offset slots of a chunk: enough for every offset it can hold, and no more. */
export function numOffsetSlots(uncompressedSize: number): number {
  return uncompressedSize < 2 ? 0 : 1 + slotOf(uncompressedSize - 1, OFFSET_SLOT_BASE)
}

/**
 * Offset → slot without a search. Slots 0-166 (offsets below 0xe4a5) have at most 10 extra
 * bits and get an exact table; slots 167-426 have 11 to 15, and slots from 427 (offsets from
 * 0x3de4a5) 16 or more, so counted from 0xe4a5 their bounds fall on multiples of 2^11 and
 * 2^16: one table entry per such block.
 */
const SMALL_END = 0xe4a5
const MEDIUM_END = 0x3de4a5
const MEDIUM_SHIFT = 11
const LARGE_SHIFT = 16
const smallOffsetSlots = new Uint16Array(SMALL_END)
const mediumOffsetSlots = new Uint16Array((MEDIUM_END - SMALL_END) >>> MEDIUM_SHIFT)
const largeOffsetSlots = new Uint16Array(Math.ceil((MAX_BUFFER_SIZE - SMALL_END) / 2 ** LARGE_SHIFT))
for (let offset = 1; offset < SMALL_END; offset++) smallOffsetSlots[offset] = slotOf(offset, OFFSET_SLOT_BASE)
for (let block = 0; block < mediumOffsetSlots.length; block++) {
  mediumOffsetSlots[block] = slotOf(SMALL_END + block * 2 ** MEDIUM_SHIFT, OFFSET_SLOT_BASE)
}
for (let block = 0; block < largeOffsetSlots.length; block++) {
  largeOffsetSlots[block] = slotOf(SMALL_END + block * 2 ** LARGE_SHIFT, OFFSET_SLOT_BASE)
}

/** The slot of an offset below MAX_BUFFER_SIZE. */
export function offsetSlot(offset: number): number {
  if (offset < SMALL_END) return smallOffsetSlots[offset]!
  const above = offset - SMALL_END
  return above < MEDIUM_END - SMALL_END ? mediumOffsetSlots[above >>> MEDIUM_SHIFT]! : largeOffsetSlots[above >>> LARGE_SHIFT]!
}
