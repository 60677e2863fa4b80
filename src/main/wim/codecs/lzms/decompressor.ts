import { AppError } from '../../../../shared/errors'
import { CodeLengthBuilder } from './adaptive-huffman'
import { decodeSymbol } from '../huffman'
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
  OFFSET_EXTRA_BITS,
  OFFSET_SLOT_BASE,
  PROBABILITY_BITS,
  QUEUE_LENGTH,
  numOffsetSlots,
} from './constants'
import { DecodingCode } from './decoding-code'
import { moveToFront, pushFront, resetQueue } from './lru'
import { DELTA, DELTA_REP0, DELTA_REP1, DecisionModels, LZ, LZ_REP0, LZ_REP1, MAIN, MATCH } from './probability'
import { x86Filter } from './x86-filter'

export function corruptLzms(reason: string): AppError {
  return new AppError('CORRUPT', `LZMS: ${reason}`)
}

/** What the previous item was: a repeat match right after a match of its kind reads one slot further. */
const LITERAL = 0
const LZ_MATCH = 1
const DELTA_MATCH = 2

/**
 * Steps of the item grammar. Steps below LITERAL_SYMBOL are the binary decisions of
 * probability.ts (MAIN, MATCH, ...), read with the range decoder; the others each read one
 * Huffman symbol and its verbatim extra bits. Decoding walks them as a state machine, so each
 * kind of read has a single site in the loop, with the coders' state in local variables.
 */
const LITERAL_SYMBOL = 8
const LZ_OFFSET_SYMBOL = 9
const LENGTH_SYMBOL = 10
const DELTA_OFFSET_SYMBOL = 11
const DELTA_POWER_SYMBOL = 12

const SUBTABLE_FLAG = 0x80
/** Matches longer than this are copied natively; shorter ones byte by byte, which is cheaper. */
const NATIVE_COPY_MIN = 32

/**
 * A valid stream never needs more bytes than the chunk has: the decoder reads two words
 * fewer from the front than an encoder writes, and no more bits from the back. The margin
 * allows for encoders that flush the range coder more tightly than wimlib does.
 */
const OVERREAD_MARGIN = 8

/**
 * Decodes LZMS chunks. Each chunk is two streams sharing its bytes: from the front, a range
 * coder giving binary decisions (literal or match, which kind of match, explicit or repeat
 * source), each in its own adaptive context; from the back, 16-bit words read most significant
 * bit first, holding adaptive Huffman codes for literals, offsets, lengths and delta powers, and
 * verbatim extra bits. Past either end a stream reads zeros, as the reference decoder does; a
 * stream that needed more bytes than the chunk has is reported as damaged. The output then
 * goes through the x86 filter, undone.
 */
export class LzmsDecompressor {
  private readonly builder = new CodeLengthBuilder(MAX_NUM_OFFSET_SYMBOLS)
  // Table bits trade a table that stays in cache against subtable lookups.
  private readonly literals = new DecodingCode(NUM_LITERAL_SYMBOLS, LITERAL_REBUILD_PERIOD, 10, this.builder)
  private readonly lzOffsets = new DecodingCode(MAX_NUM_OFFSET_SYMBOLS, LZ_OFFSET_REBUILD_PERIOD, 11, this.builder)
  private readonly lengths = new DecodingCode(NUM_LENGTH_SYMBOLS, LENGTH_REBUILD_PERIOD, 9, this.builder)
  private readonly deltaOffsets = new DecodingCode(MAX_NUM_OFFSET_SYMBOLS, DELTA_OFFSET_REBUILD_PERIOD, 11, this.builder)
  private readonly deltaPowers = new DecodingCode(NUM_DELTA_POWER_SYMBOLS, DELTA_POWER_REBUILD_PERIOD, 7, this.builder)
  /** The codes, in the order of the symbol steps. */
  private readonly codes = [this.literals, this.lzOffsets, this.lengths, this.deltaOffsets, this.deltaPowers]
  private readonly models = new DecisionModels()
  private readonly recentOffsets = new Uint32Array(QUEUE_LENGTH)
  private readonly recentRawOffsets = new Uint32Array(QUEUE_LENGTH)
  private readonly recentPowers = new Uint32Array(QUEUE_LENGTH)
  private readonly x86Usage = new Int32Array(65536)

  decompress(input: Uint8Array, outputSize: number): Uint8Array {
    if (input.length < 4 || input.length % 2 !== 0) throw corruptLzms(`a chunk of ${input.length} bytes is not a sequence of 16-bit words`)
    const out = new Uint8Array(outputSize)
    const offsetSlots = numOffsetSlots(outputSize)
    this.literals.reset(NUM_LITERAL_SYMBOLS)
    this.lzOffsets.reset(offsetSlots)
    this.lengths.reset(NUM_LENGTH_SYMBOLS)
    this.deltaOffsets.reset(offsetSlots)
    this.deltaPowers.reset(NUM_DELTA_POWER_SYMBOLS)
    this.models.reset()
    resetQueue(this.recentOffsets, 0)
    resetQueue(this.recentRawOffsets, 0)
    this.recentPowers.fill(0)
    const used = this.decodeItems(input, out)
    if (used > input.length + OVERREAD_MARGIN) throw corruptLzms(`the chunk needed ${used} bytes but has ${input.length}: truncated or damaged`)
    x86Filter(out, outputSize, this.x86Usage, true)
    return out
  }

  /** Decodes `out` fully; returns how many input bytes the two streams consumed together. */
  private decodeItems(input: Uint8Array, out: Uint8Array): number {
    const { models, codes, recentOffsets, recentRawOffsets, recentPowers } = this
    const inputLength = input.length
    const size = out.length
    const words = new DataView(out.buffer, out.byteOffset, size)

    // Range decoder: range and code are unsigned 32-bit values kept in int32 variables.
    let range = -1
    let code = (input[1]! << 24) | (input[0]! << 16) | (input[3]! << 8) | input[2]!
    let front = 4
    // Backward bitstream: the next bits at the top of `window`, `held` of them valid;
    // `back` is just past the next word to load.
    let window = 0
    let held = 0
    let back = inputLength

    let pos = 0
    let previous = LITERAL
    let step = MAIN
    // The match being decoded: its kind and source (an LZ offset, or a delta power and raw offset).
    let kind = LITERAL
    let offset = 0
    let power = 0
    while (pos < size) {
      if (step < LITERAL_SYMBOL) {
        const prob = models.probability(step)
        // Keep at least 16 bits of precision in the range.
        if (range >>> 16 === 0) {
          range <<= 16
          code = (code << 16) | (front + 1 < inputLength ? input[front]! | (input[front + 1]! << 8) : 0)
          front += 2
        }
        const bound = Math.imul(range >>> PROBABILITY_BITS, prob)
        let bit = 0
        // Unsigned comparison of the int32 values.
        if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
          range = bound
        } else {
          range = (range - bound) | 0
          code = (code - bound) | 0
          bit = 1
        }
        models.update(step, bit)
        // Tested in order of frequency (an if chain predicts better than a switch's jump table).
        if (step === MAIN) {
          step = bit ? MATCH : LITERAL_SYMBOL
        } else if (step === MATCH) {
          step = bit ? DELTA : LZ
        } else if (step === LZ) {
          step = bit ? LZ_REP0 : LZ_OFFSET_SYMBOL
        } else if (step === DELTA) {
          step = bit ? DELTA_REP0 : DELTA_POWER_SYMBOL
        } else if (step === LZ_REP0 && bit) {
          step = LZ_REP1
        } else if (step === DELTA_REP0 && bit) {
          step = DELTA_REP1
        } else if (step <= LZ_REP1) {
          // Repeat LZ match: index 0, or 1 + the second decision.
          kind = LZ_MATCH
          offset = moveToFront(recentOffsets, 0, step - LZ_REP0 + bit + (previous === LZ_MATCH ? 1 : 0))
          step = LENGTH_SYMBOL
        } else {
          kind = DELTA_MATCH
          const index = step - DELTA_REP0 + bit + (previous === DELTA_MATCH ? 1 : 0)
          power = moveToFront(recentPowers, 0, index)
          offset = moveToFront(recentRawOffsets, 0, index)
          step = LENGTH_SYMBOL
        }
        continue
      }

      const huffman = codes[step - LITERAL_SYMBOL]!
      if (held < 16) {
        window |= (back >= 2 ? input[back - 2]! | (input[back - 1]! << 8) : 0) << (16 - held)
        held += 16
        back -= 2
      }
      let entry = huffman.table[window >>> (32 - huffman.tableBits)]!
      if (entry & SUBTABLE_FLAG) entry = decodeSymbol(huffman.table, huffman.tableBits, window)
      window <<= entry & 0xff
      held -= entry & 0xff
      const symbol = entry >>> 8
      huffman.count(symbol)
      if (step === LITERAL_SYMBOL) {
        out[pos++] = symbol
        previous = LITERAL
        step = MAIN
        continue
      }
      if (step === DELTA_POWER_SYMBOL) {
        power = symbol
        step = DELTA_OFFSET_SYMBOL
        continue
      }

      // An offset or length slot: its base plus verbatim bits, most significant first, in
      // pieces of at most 16.
      let value = 0
      for (let extra = step === LENGTH_SYMBOL ? LENGTH_EXTRA_BITS[symbol]! : OFFSET_EXTRA_BITS[symbol]!; extra > 0; ) {
        const take = extra > 16 ? extra - 16 : extra
        if (held < take) {
          window |= (back >= 2 ? input[back - 2]! | (input[back - 1]! << 8) : 0) << (16 - held)
          held += 16
          back -= 2
        }
        value = value * (1 << take) + (window >>> (32 - take))
        window <<= take
        held -= take
        extra -= take
      }
      if (step === LZ_OFFSET_SYMBOL) {
        kind = LZ_MATCH
        offset = OFFSET_SLOT_BASE[symbol]! + value
        pushFront(recentOffsets, 0, offset)
        step = LENGTH_SYMBOL
        continue
      }
      if (step === DELTA_OFFSET_SYMBOL) {
        kind = DELTA_MATCH
        offset = OFFSET_SLOT_BASE[symbol]! + value
        pushFront(recentPowers, 0, power)
        pushFront(recentRawOffsets, 0, offset)
        step = LENGTH_SYMBOL
        continue
      }

      // The length completes the match.
      const length = LENGTH_SLOT_BASE[symbol]! + value
      if (length > size - pos) throw corruptLzms(`match of ${length} bytes runs past the end of the chunk`)
      previous = kind
      step = MAIN
      const end = pos + length
      if (kind === LZ_MATCH) {
        if (offset > pos) throw corruptLzms(`match offset ${offset} reaches before the start of the chunk at ${pos}`)
        if (length <= NATIVE_COPY_MIN) {
          if (offset >= 4 && end + 4 <= size) {
            // Four bytes at a time, possibly past the match (that output comes later anyway).
            for (; pos < end; pos += 4) words.setInt32(pos, words.getInt32(pos - offset))
            pos = end
          } else {
            for (; pos < end; pos++) out[pos] = out[pos - offset]!
          }
          continue
        }
        // Native copies; when source and destination overlap, the output repeats with period
        // `offset`, so each copy can take everything written so far and double.
        for (let done = 0; done < length; ) {
          const count = Math.min(done + offset, length - done)
          out.copyWithin(pos + done, pos - offset, pos - offset + count)
          done += count
        }
        pos = end
        continue
      }
      // Each byte is the one `offset` back, plus the change between the bytes one span before
      // each of them: runs of steadily changing integers of width `span`.
      const span = 2 ** power
      const distance = offset * span
      if (distance + span > pos) throw corruptLzms(`delta match (offset ${distance}, span ${span}) reaches before the start of the chunk at ${pos}`)
      for (; pos < end; pos++) out[pos] = out[pos - distance]! + out[pos - span]! - out[pos - distance - span]!
    }
    const backBits = (inputLength - back) * 8 - held
    return front + ((backBits + 15) >>> 4) * 2
  }
}
