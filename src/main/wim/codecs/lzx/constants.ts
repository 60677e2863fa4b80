/**
 * Numbers of the LZX format as WIM files use it (Microsoft's LZX DELTA specification,
 * MS-PATCH, without its delta extensions; and wimlib's extension to windows above 32 KiB).
 */
import { AppError } from '../../../../shared/errors'

export const NUM_CHARS = 256
export const MIN_MATCH = 2
export const MAX_MATCH = 257
/** Match lengths MIN_MATCH .. MIN_MATCH + 6 fit in the main symbol; longer ones add a length symbol. */
export const NUM_PRIMARY_LENS = 7
export const NUM_LEN_HEADERS = 8
export const MIN_SECONDARY_LEN = MIN_MATCH + NUM_PRIMARY_LENS
export const NUM_LEN_SYMBOLS = MAX_MATCH - MIN_SECONDARY_LEN + 1

export const PRECODE_SYMBOLS = 20
export const PRECODE_ELEMENT_BITS = 4
export const ALIGNED_SYMBOLS = 8
export const ALIGNED_ELEMENT_BITS = 3
export const NUM_ALIGNED_BITS = 3

export const MAX_MAIN_CODEWORD = 16
export const MAX_LEN_CODEWORD = 16
export const MAX_PRE_CODEWORD = 15
export const MAX_ALIGNED_CODEWORD = 7

export const BLOCK_VERBATIM = 1
export const BLOCK_ALIGNED = 2
export const BLOCK_UNCOMPRESSED = 3
/** A block of this size is written with one bit instead of 16 (or 24). */
export const DEFAULT_BLOCK_SIZE = 32768

export const NUM_RECENT_OFFSETS = 3
/** An explicit offset is sent as offset + 2, since slots 0..2 stand for the recent offsets. */
export const OFFSET_ADJUSTMENT = NUM_RECENT_OFFSETS - 1
/** The first slot whose extra bits are long enough for the aligned offset code to carry the low 3. */
export const MIN_ALIGNED_SLOT = 8

export const MIN_WINDOW_ORDER = 15
export const MAX_WINDOW_ORDER = 21
const MAX_OFFSET_SLOTS = 50

/** Number of raw bits after the base of each offset slot. */
export const EXTRA_BITS = new Uint8Array(MAX_OFFSET_SLOTS)
/** First adjusted offset (offset + OFFSET_ADJUSTMENT) of each offset slot, plus one past the last. */
export const SLOT_BASE = new Uint32Array(MAX_OFFSET_SLOTS + 1)
for (let slot = 0; slot < MAX_OFFSET_SLOTS; slot++) {
  EXTRA_BITS[slot] = slot < 4 ? 0 : Math.min((slot >> 1) - 1, 17)
  SLOT_BASE[slot + 1] = slot < 3 ? slot + 1 : SLOT_BASE[slot] + (1 << EXTRA_BITS[slot])
}

/** The window of a WIM chunk: its size rounded up to a power of two, at least 32 KiB. */
export function windowOrder(chunkSize: number): number {
  let order = MIN_WINDOW_ORDER
  while (2 ** order < chunkSize) order++
  if (order > MAX_WINDOW_ORDER) throw new AppError('UNSUPPORTED', `LZX chunks are at most ${2 ** MAX_WINDOW_ORDER} bytes, not ${chunkSize}`)
  return order
}

/**
 * Offset slots the window needs. The largest offset is window - 3 (a match cannot copy the
 * window's first two bytes onto its last two), so its adjusted value is window - 1.
 */
export function offsetSlotCount(order: number): number {
  let slots = 30
  while (SLOT_BASE[slots] <= 2 ** order - 1) slots++
  return slots
}

export function mainSymbolCount(order: number): number {
  return NUM_CHARS + offsetSlotCount(order) * NUM_LEN_HEADERS
}

/** Whether a block size takes 24 bits rather than 16 (wimlib's extension for large windows). */
export function wideBlockSizes(order: number): boolean {
  return order >= 16
}

/** Offset slot of each adjusted offset below the window size (a table, for the compressor). */
export function slotTable(order: number): Uint8Array {
  const table = new Uint8Array(2 ** order)
  for (let slot = 0; slot < offsetSlotCount(order); slot++) table.fill(slot, SLOT_BASE[slot], Math.min(SLOT_BASE[slot + 1], table.length))
  return table
}
