import { BackwardBitWriter } from './bit-writer'
import {
  DELTA_OFFSET_REBUILD_PERIOD,
  DELTA_POWER_REBUILD_PERIOD,
  LENGTH_EXTRA_BITS,
  LENGTH_REBUILD_PERIOD,
  LENGTH_SLOT_BASE,
  LITERAL_REBUILD_PERIOD,
  LZ_OFFSET_REBUILD_PERIOD,
  MAX_NUM_OFFSET_SYMBOLS,
  NUM_DELTA_POWER_SYMBOLS,
  NUM_LENGTH_SYMBOLS,
  NUM_LITERAL_SYMBOLS,
  NUM_REPS,
  OFFSET_EXTRA_BITS,
  OFFSET_SLOT_BASE,
  offsetSlot,
  slotOf,
} from './constants'
import { CodeLengthBuilder } from './adaptive-huffman'
import { EncodingCode } from './encoding-code'
import { DELTA_MATCH, EXPLICIT, LITERAL } from './items'
import { DELTA, DELTA_REP0, DecisionModels, LZ, LZ_REP0, MAIN, MATCH } from './probability'
import { RangeEncoder } from './range-encoder'

/** Length slots of short lengths, looked up directly. */
const SHORT_LENGTHS = 256
const SHORT_LENGTH_SLOTS = new Uint8Array(SHORT_LENGTHS)
for (let length = 1; length < SHORT_LENGTHS; length++) SHORT_LENGTH_SLOTS[length] = slotOf(length, LENGTH_SLOT_BASE)

export function lengthSlot(length: number): number {
  return length < SHORT_LENGTHS ? SHORT_LENGTH_SLOTS[length]! : slotOf(length, LENGTH_SLOT_BASE)
}

/**
 * Writes items (literals and matches the parser chose) into a chunk: decisions through the
 * range encoder from the front of the buffer, symbols and extra bits through the backward
 * bitstream from its end. Its models and codes are also what the parser prices items with.
 */
export class ItemEncoder {
  readonly models = new DecisionModels()
  private readonly builder = new CodeLengthBuilder(MAX_NUM_OFFSET_SYMBOLS)
  readonly literals = new EncodingCode(NUM_LITERAL_SYMBOLS, LITERAL_REBUILD_PERIOD, this.builder)
  readonly lzOffsets = new EncodingCode(MAX_NUM_OFFSET_SYMBOLS, LZ_OFFSET_REBUILD_PERIOD, this.builder)
  readonly lengths = new EncodingCode(NUM_LENGTH_SYMBOLS, LENGTH_REBUILD_PERIOD, this.builder)
  readonly deltaOffsets = new EncodingCode(MAX_NUM_OFFSET_SYMBOLS, DELTA_OFFSET_REBUILD_PERIOD, this.builder)
  readonly deltaPowers = new EncodingCode(NUM_DELTA_POWER_SYMBOLS, DELTA_POWER_REBUILD_PERIOD, this.builder)
  private readonly ranges = new RangeEncoder()
  private readonly bits = new BackwardBitWriter()
  private out: Uint8Array = new Uint8Array(0)
  private capacity = 0

  /** Starts a chunk with `offsetSlots` offset slots, to be written in out[0, capacity). */
  reset(out: Uint8Array, capacity: number, offsetSlots: number): void {
    this.out = out
    this.capacity = capacity
    this.ranges.init(out, capacity)
    this.bits.init(out, capacity)
    this.models.reset()
    this.literals.reset(NUM_LITERAL_SYMBOLS)
    this.lzOffsets.reset(offsetSlots)
    this.lengths.reset(NUM_LENGTH_SYMBOLS)
    this.deltaOffsets.reset(offsetSlots)
    this.deltaPowers.reset(NUM_DELTA_POWER_SYMBOLS)
  }

  /** Whether the two streams already meet: the chunk will not get smaller than `capacity`. */
  full(): boolean {
    return this.ranges.pos + 2 > this.bits.pos
  }

  /** Writes one item: a literal (source = the byte) or a match (see items.ts for sources). */
  encode(kind: number, length: number, source: number, power: number): void {
    const { models, ranges, bits } = this
    if (kind === LITERAL) {
      ranges.encodeBit(models, MAIN, 0)
      this.literals.encode(bits, source)
      return
    }
    ranges.encodeBit(models, MAIN, 1)
    const delta = kind === DELTA_MATCH ? 1 : 0
    ranges.encodeBit(models, MATCH, delta)
    const repeat = source < NUM_REPS ? 1 : 0
    ranges.encodeBit(models, delta ? DELTA : LZ, repeat)
    if (repeat) {
      // Index 0: one 0 bit; 1: bits 1, 0; 2: bits 1, 1.
      const first = delta ? DELTA_REP0 : LZ_REP0
      ranges.encodeBit(models, first, source > 0 ? 1 : 0)
      if (source > 0) ranges.encodeBit(models, first + 1, source - 1)
    } else if (delta) {
      this.deltaPowers.encode(bits, power)
      this.encodeOffset(this.deltaOffsets, source - EXPLICIT)
    } else {
      this.encodeOffset(this.lzOffsets, source - EXPLICIT)
    }
    const slot = lengthSlot(length)
    this.lengths.encode(bits, slot)
    bits.writeLong(length - LENGTH_SLOT_BASE[slot]!, LENGTH_EXTRA_BITS[slot]!)
  }

  /**
   * Flushes both streams and moves the backward one next to the forward one. Returns the
   * compressed size, or 0 if it does not fit in `capacity`.
   */
  finish(): number {
    this.bits.flush()
    this.ranges.flush()
    const forward = this.ranges.pos
    const backward = this.capacity - this.bits.pos
    if (forward > this.bits.pos || forward + backward > this.capacity) return 0
    this.out.copyWithin(forward, this.bits.pos, this.capacity)
    return forward + backward
  }

  private encodeOffset(code: EncodingCode, offset: number): void {
    const slot = offsetSlot(offset)
    code.encode(this.bits, slot)
    this.bits.writeLong(offset - OFFSET_SLOT_BASE[slot]!, OFFSET_EXTRA_BITS[slot]!)
  }
}
