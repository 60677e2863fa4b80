/**
 * The LZX decompressor's hot loop, part of the LZX kernel (kernel.as.ts): literals and
 * matches of one verbatim or aligned offset block, decoded into the chunk. decompress.ts
 * reads the block headers and builds the decode tables (in this memory, through views),
 * then calls decodeBlock with the bit reader's state, which comes back in STATE.
 *
 * A decoder instance has its own memory, set up by setupDecoder alone: the compressor's
 * regions are never allocated in it.
 */

const NUM_CHARS: i32 = 256
const NUM_PRIMARY_LENS: i32 = 7
const MIN_MATCH: i32 = 2
const OFFSET_ADJUSTMENT: i32 = 2
const MIN_ALIGNED_SLOT: i32 = 8
const MAX_OFFSET_SLOTS: i32 = 50
const MAIN_TABLE_BITS: i32 = 11
const LEN_TABLE_BITS: i32 = 10
const ALIGNED_TABLE_BITS: i32 = 7
const SUBTABLE_FLAG: u32 = 0x80
/** Below this, copying four bytes at a time beats a memory.copy. */
const COPY_WITHIN_MIN: i32 = 64
/** Room past the chunk for the last four-byte copy of a match to overrun. */
const COPY_SLACK: usize = 4

/** What decodeBlock found wrong, in STATE[STATE_ERROR]; decompress.ts words it (DecodeError there). */
const ERROR_EMPTY_LENGTH_CODE: i32 = 1
const ERROR_EMPTY_ALIGNED_CODE: i32 = 2
const ERROR_OFFSET_BEFORE_START: i32 = 3
const ERROR_MATCH_PAST_BLOCK: i32 = 4

/** STATE holds, as i32: window, count, pos, r0, r1, r2, then an error and its position, offset and length. */
const STATE_WINDOW: i32 = 0
const STATE_COUNT: i32 = 1
const STATE_POS: i32 = 2
const STATE_R0: i32 = 3
const STATE_R1: i32 = 4
const STATE_R2: i32 = 5
const STATE_ERROR: i32 = 6
const STATE_AT: i32 = 7
const STATE_OFFSET: i32 = 8
const STATE_LENGTH: i32 = 9
const STATE_FIELDS: i32 = 10

let IN: usize = 0
let OUT: usize = 0
let MAIN_TABLE: usize = 0
let LEN_TABLE: usize = 0
let ALIGNED_TABLE: usize = 0
let EXTRA_BITS: usize = 0
let SLOT_BASE: usize = 0
let STATE: usize = 0

/** Reserves the memory for chunks of up to `maxSize` bytes and decode tables of the given sizes (in entries); once per instance. */
export function setupDecoder(maxSize: i32, mainTableSize: i32, lenTableSize: i32, alignedTableSize: i32): void {
  IN = heap.alloc(<usize>maxSize + 8)
  OUT = heap.alloc(<usize>maxSize + COPY_SLACK)
  MAIN_TABLE = heap.alloc(<usize>mainTableSize << 2)
  LEN_TABLE = heap.alloc(<usize>lenTableSize << 2)
  ALIGNED_TABLE = heap.alloc(<usize>alignedTableSize << 2)
  EXTRA_BITS = heap.alloc(MAX_OFFSET_SLOTS << 2)
  SLOT_BASE = heap.alloc((MAX_OFFSET_SLOTS + 1) << 2)
  STATE = heap.alloc(STATE_FIELDS << 2)
  store<i32>(SLOT_BASE, 0)
  for (let slot: i32 = 0; slot < MAX_OFFSET_SLOTS; slot++) {
    const extra = slot < 4 ? 0 : min((slot >> 1) - 1, 17)
    put(EXTRA_BITS, slot, extra)
    put(SLOT_BASE, slot + 1, slot < 3 ? slot + 1 : at(SLOT_BASE, slot) + (1 << extra))
  }
}

export function decoderInputAddress(): usize {
  return IN
}
export function decoderOutputAddress(): usize {
  return OUT
}
export function mainTableAddress(): usize {
  return MAIN_TABLE
}
export function lenTableAddress(): usize {
  return LEN_TABLE
}
export function alignedTableAddress(): usize {
  return ALIGNED_TABLE
}
export function decoderStateAddress(): usize {
  return STATE
}

@inline function at(table: usize, index: i32): i32 {
  return load<i32>(table + (<usize>index << 2))
}
@inline function put(table: usize, index: i32, value: i32): void {
  store<i32>(table + (<usize>index << 2), value)
}

function fail(error: i32, position: i32, offset: i32, length: i32): i32 {
  put(STATE, STATE_ERROR, error)
  put(STATE, STATE_AT, position)
  put(STATE, STATE_OFFSET, offset)
  put(STATE, STATE_LENGTH, length)
  return -1
}

/**
 * Decodes literals and matches into OUT[start, end) from the `inputLength` bytes at IN, the
 * bit reader's state and the recent offsets in STATE, leaving them there; returns end, or -1
 * with the problem in STATE.
 */
export function decodeBlock(start: i32, end: i32, inputLength: i32, aligned: bool): i32 {
  const inputEnd = inputLength - 1
  const minAlignedSlot = aligned ? MIN_ALIGNED_SLOT : 0xffff
  let window = at(STATE, STATE_WINDOW)
  let count = at(STATE, STATE_COUNT)
  let pos = at(STATE, STATE_POS)
  let r0 = at(STATE, STATE_R0)
  let r1 = at(STATE, STATE_R1)
  let r2 = at(STATE, STATE_R2)
  let here = start
  while (here < end) {
    if (count < 16) {
      window |= (pos < inputEnd ? <i32>load<u16>(IN + <usize>pos) : 0) << (16 - count)
      pos += 2
      count += 16
    }
    let entry = <u32>at(MAIN_TABLE, <i32>(<u32>window >> (32 - MAIN_TABLE_BITS)))
    if (entry & SUBTABLE_FLAG) entry = <u32>at(MAIN_TABLE, <i32>(entry >> 8) + <i32>(<u32>(window << MAIN_TABLE_BITS) >> (32 - (entry & 0x7f))))
    let n = <i32>(entry & 0xff)
    window <<= n
    count -= n
    const sym = <i32>(entry >> 8)
    if (sym < NUM_CHARS) {
      store<u8>(OUT + <usize>here, sym)
      here++
      continue
    }
    const header = sym - NUM_CHARS
    let length = header & 7
    const slot = header >> 3
    if (length == NUM_PRIMARY_LENS) {
      if (count < 16) {
        window |= (pos < inputEnd ? <i32>load<u16>(IN + <usize>pos) : 0) << (16 - count)
        pos += 2
        count += 16
      }
      entry = <u32>at(LEN_TABLE, <i32>(<u32>window >> (32 - LEN_TABLE_BITS)))
      if (entry & SUBTABLE_FLAG) entry = <u32>at(LEN_TABLE, <i32>(entry >> 8) + <i32>(<u32>(window << LEN_TABLE_BITS) >> (32 - (entry & 0x7f))))
      n = <i32>(entry & 0xff)
      if (n == 0) return fail(ERROR_EMPTY_LENGTH_CODE, here, 0, 0)
      window <<= n
      count -= n
      length += <i32>(entry >> 8)
    }
    length += MIN_MATCH
    let offset: i32
    if (slot == 0) {
      offset = r0
    } else if (slot == 1) {
      offset = r1
      r1 = r0
      r0 = offset
    } else if (slot == 2) {
      offset = r2
      r2 = r0
      r0 = offset
    } else {
      let extra = at(EXTRA_BITS, slot)
      offset = at(SLOT_BASE, slot) - OFFSET_ADJUSTMENT
      if (count < 16) {
        window |= (pos < inputEnd ? <i32>load<u16>(IN + <usize>pos) : 0) << (16 - count)
        pos += 2
        count += 16
      }
      if (slot >= minAlignedSlot) {
        // The high bits are raw, the low 3 come from the aligned offset code.
        extra -= 3
        if (extra > 0) {
          offset += <i32>(<u32>window >> (32 - extra)) << 3
          window <<= extra
          count -= extra
          if (count < 16) {
            window |= (pos < inputEnd ? <i32>load<u16>(IN + <usize>pos) : 0) << (16 - count)
            pos += 2
            count += 16
          }
        }
        entry = <u32>at(ALIGNED_TABLE, <i32>(<u32>window >> (32 - ALIGNED_TABLE_BITS)))
        n = <i32>(entry & 0xff)
        if (n == 0) return fail(ERROR_EMPTY_ALIGNED_CODE, here, 0, 0)
        window <<= n
        count -= n
        offset += <i32>(entry >> 8)
      } else if (extra > 0) {
        if (extra > 16) {
          // 17 extra bits (windows of 512 KiB and more): one now, then refill for 16.
          offset += <i32>(<u32>window >> 31) << 16
          window <<= 1
          count -= 1
          extra = 16
          if (count < 16) {
            window |= (pos < inputEnd ? <i32>load<u16>(IN + <usize>pos) : 0) << (16 - count)
            pos += 2
            count += 16
          }
        }
        offset += <i32>(<u32>window >> (32 - extra))
        window <<= extra
        count -= extra
      }
      r2 = r1
      r1 = r0
      r0 = offset
    }
    if (offset > here) return fail(ERROR_OFFSET_BEFORE_START, here, offset, length)
    if (length > end - here) return fail(ERROR_MATCH_PAST_BLOCK, here, offset, length)
    let from = here - offset
    const stop = here + length
    if (offset < 4) {
      while (here < stop) {
        store<u8>(OUT + <usize>here, load<u8>(OUT + <usize>from))
        here++
        from++
      }
    } else if (length >= COPY_WITHIN_MIN && offset >= length) {
      memory.copy(OUT + <usize>here, OUT + <usize>from, <usize>length)
      here = stop
    } else {
      // Four bytes at a time, each read after the writes it depends on (offset >= 4); the
      // last may write up to 3 bytes past the match, into the slack or what comes next.
      do {
        store<i32>(OUT + <usize>here, load<i32>(OUT + <usize>from))
        here += 4
        from += 4
      } while (here < stop)
      here = stop
    }
  }
  put(STATE, STATE_WINDOW, window)
  put(STATE, STATE_COUNT, count)
  put(STATE, STATE_POS, pos)
  put(STATE, STATE_R0, r0)
  put(STATE, STATE_R1, r1)
  put(STATE, STATE_R2, r2)
  return here
}
