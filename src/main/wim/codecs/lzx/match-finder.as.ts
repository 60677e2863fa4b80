/**
 * The LZX match finder's hot loop, part of the LZX kernel (kernel.as.ts); match-finder.ts
 * drives it and describes the method.
 *
 * Its memory holds, from setup on: the chunk, its little-endian 32-bit word at each position,
 * the hash tables, the binary trees, the cached form of each offset, and the match cache the
 * parser reads. Tables hold `base + position`; anything below `base` is empty.
 */

const HASH2_ORDER: u32 = 12
const HASH3_ORDER: u32 = 15
const HASH4_ORDER: u32 = 16
/** Positions that can start a tree walk: 4 bytes must remain for the hash. */
const MIN_LOOKAHEAD: i32 = 4
const MAX_MATCH: i32 = 257

let maxPositions: i32 = 0
let size: i32 = 0
let base: i32 = 1
let nextSearch: i32 = 0

let INPUT: usize = 0
let WORDS: usize = 0
let HASH2: usize = 0
let HASH3: usize = 0
let HASH4: usize = 0
let CHILDREN: usize = 0
let SLOTTED: usize = 0
let LENGTHS: usize = 0
let OFFSETS: usize = 0

/** Reserves the memory for chunks of up to `positions` bytes and a cache of `cacheCapacity` entries; once per instance. */
export function setup(positions: i32, cacheCapacity: i32): void {
  maxPositions = positions
  INPUT = heap.alloc(<usize>positions + 8)
  WORDS = heap.alloc((<usize>positions + 4) << 2)
  HASH2 = heap.alloc(4 << HASH2_ORDER)
  HASH3 = heap.alloc(8 << HASH3_ORDER)
  HASH4 = heap.alloc(4 << HASH4_ORDER)
  CHILDREN = heap.alloc(<usize>positions << 3)
  SLOTTED = heap.alloc(<usize>positions << 2)
  LENGTHS = heap.alloc(<usize>cacheCapacity << 1)
  OFFSETS = heap.alloc(<usize>cacheCapacity << 2)
}

export function inputAddress(): usize {
  return INPUT
}
export function slottedAddress(): usize {
  return SLOTTED
}
export function lengthsAddress(): usize {
  return LENGTHS
}
export function offsetsAddress(): usize {
  return OFFSETS
}

/** The little-endian 32-bit word at `pos` of the chunk. */
@inline export function word(pos: i32): i32 {
  return load<i32>(WORDS + (<usize>pos << 2))
}
/** Entry `at` of the match cache: a count, or a match's length and cached offset. */
@inline export function cachedLength(at: i32): i32 {
  return <i32>load<u16>(LENGTHS + (<usize>at << 1))
}
@inline export function cachedOffset(at: i32): i32 {
  return load<i32>(OFFSETS + (<usize>at << 2))
}
@inline function entry(table: usize, index: u32): i32 {
  return load<i32>(table + (<usize>index << 2))
}
@inline function setEntry(table: usize, index: u32, value: i32): void {
  store<i32>(table + (<usize>index << 2), value)
}
@inline function child(slot: i32): i32 {
  return load<i32>(CHILDREN + (<usize>slot << 2))
}
@inline function setChild(slot: i32, value: i32): void {
  store<i32>(CHILDREN + (<usize>slot << 2), value)
}
@inline function cache(at: i32, length: i32, offset: i32): void {
  store<u16>(LENGTHS + (<usize>at << 1), length)
  store<i32>(OFFSETS + (<usize>at << 2), offset)
}
@inline function slotted(offset: i32): i32 {
  return load<i32>(SLOTTED + (<usize>offset << 2))
}

/** Starts on the `length` bytes at INPUT: nothing before them can be matched. */
export function reset(length: i32): void {
  let w: i32 = 0
  for (let i = length + 3; i >= 0; i--) {
    w = (w << 8) | (i < length ? <i32>load<u8>(INPUT + <usize>i) : 0)
    store<i32>(WORDS + (<usize>i << 2), w)
  }
  size = length
  nextSearch = 0
  base += maxPositions
  if (base > 0x7fffffff - maxPositions) {
    memory.fill(HASH2, 0, 4 << HASH2_ORDER)
    memory.fill(HASH3, 0, 8 << HASH3_ORDER)
    memory.fill(HASH4, 0, 4 << HASH4_ORDER)
    base = 1
  }
}

/** See MatchFinder.cacheRange. */
export function cacheRange(from: i32, to: i32, niceLength: i32, maxDepth: i32, at: i32): i32 {
  let next = nextSearch
  for (let pos = from; pos < to; pos++) {
    const header = at++
    const left = size - pos
    if (left < MIN_LOOKAHEAD) {
      store<u16>(LENGTHS + (<usize>header << 1), 0)
      continue
    }
    const maxLength = left < MAX_MATCH ? left : MAX_MATCH
    const nice = niceLength < maxLength ? niceLength : maxLength
    const record = pos >= next
    if (!record && (pos & 3) != 0) {
      store<u16>(LENGTHS + (<usize>header << 1), 0)
      continue
    }
    const limit = record ? maxLength : nice
    const cur = base + pos
    const w = word(pos)

    const h2 = (<u32>(w & 0xffff) * 0x1e35a7bd) >> (32 - HASH2_ORDER)
    const cand2 = entry(HASH2, h2) - base
    setEntry(HASH2, h2, cur)
    if (record && cand2 >= 0 && ((word(cand2) ^ w) & 0xffff) == 0) cache(at++, 2, slotted(pos - cand2))

    const h3 = ((<u32>(w & 0xffffff) * 0x1e35a7bd) >> (32 - HASH3_ORDER)) << 1
    const cand3 = entry(HASH3, h3) - base
    const cand3b = entry(HASH3, h3 + 1) - base
    setEntry(HASH3, h3 + 1, entry(HASH3, h3))
    setEntry(HASH3, h3, cur)
    if (record) {
      if (cand3 >= 0 && ((word(cand3) ^ w) & 0xffffff) == 0) cache(at++, 3, slotted(pos - cand3))
      else if (cand3b >= 0 && ((word(cand3b) ^ w) & 0xffffff) == 0) cache(at++, 3, slotted(pos - cand3b))
    }

    const h4 = (<u32>w * 0x1e35a7bd) >> (32 - HASH4_ORDER)
    let node = entry(HASH4, h4) - base
    setEntry(HASH4, h4, cur)
    let lessSlot = 2 * pos
    let moreSlot = 2 * pos + 1
    let lessLength = 0
    let moreLength = 0
    let length = 0
    let recordAbove = 3
    let depth = maxDepth
    for (;;) {
      if (node < 0) {
        setChild(lessSlot, 0)
        setChild(moreSlot, 0)
        break
      }
      let mine = word(pos + length)
      let theirs = word(node + length)
      let diff = mine ^ theirs
      if ((diff & 0xff) == 0) {
        while (diff == 0 && (length += 4) < limit) diff = word(pos + length) ^ word(node + length)
        if (length < limit) length += ctz(diff) >> 3
        if (length > limit) length = limit
        if (length > recordAbove) {
          if (record) {
            recordAbove = length
            cache(at++, length, slotted(pos - node))
          }
          if (length >= nice) {
            setChild(lessSlot, child(2 * node))
            setChild(moreSlot, child(2 * node + 1))
            if (record) next = pos + length
            break
          }
        }
        mine = word(pos + length)
        theirs = word(node + length)
      }
      if ((theirs & 0xff) < (mine & 0xff)) {
        setChild(lessSlot, node + base)
        lessSlot = 2 * node + 1
        node = child(lessSlot) - base
        lessLength = length
        if (moreLength < length) length = moreLength
      } else {
        setChild(moreSlot, node + base)
        moreSlot = 2 * node
        node = child(moreSlot) - base
        moreLength = length
        if (lessLength < length) length = lessLength
      }
      if (--depth == 0) node = -1
    }
    store<u16>(LENGTHS + (<usize>header << 1), at - header - 1)
  }
  nextSearch = next
  return at
}
