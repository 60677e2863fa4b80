/**
 * The hot loops of the XPRESS compressor, in AssemblyScript compiled to WebAssembly by
 * `npm run kernels` (scripts/kernels.mjs): the match finder, the lazy parse and the bit writer.
 * They do the same work per byte as the TypeScript they replaced, about 1.5 times as fast.
 * Building the Huffman code stays in TypeScript, shared with the other codecs.
 *
 * One chunk at a time goes through fixed regions of this module's memory: the caller copies
 * the chunk to `input`, calls parse, builds the code from `freqs` into `lengths` and `codes`,
 * then calls encode, which writes the block to `out`.
 */

const MAX_CHUNK: u32 = 65536
const NUM_CHARS: u32 = 256
const NUM_SYMBOLS: u32 = 512
const LENGTH_TABLE_BYTES: u32 = NUM_SYMBOLS / 2
const END_OF_DATA: u32 = 256
const MIN_MATCH_LENGTH: u32 = 3
const LENGTH_ESCAPE: u32 = 0xf
const LENGTH_BYTE_ESCAPE: u32 = 0xff
/** Bytes past a region's end that 4-byte loads and the encoder's last writes may touch. */
const SLACK: u32 = 64

/**
 * As many 4-byte heads as a chunk has positions, and a quarter as many 3-byte ones: smaller
 * tables lose matches to collisions, and time too through the longer chains.
 */
const HASH4_BITS: u32 = 16
const HASH3_BITS: u32 = 14
/** Ends a chain: no chunk position that far in has 4 bytes after it. */
const NONE: u32 = 0xffff

const INPUT = memory.data(MAX_CHUNK + SLACK)
/** Newest position of each 4-byte hash, and for each position the one before it with that hash. */
const HEAD4 = memory.data((1 << HASH4_BITS) * 2)
const PREV = memory.data(MAX_CHUNK * 2)
/** Latest position of each 3-byte hash only: a length-3 match pays off only when it is close. */
const HEAD3 = memory.data((1 << HASH3_BITS) * 2)
/** The parse, one u32 per literal (the byte) or match (length << 16 | offset). */
const ITEMS = memory.data(MAX_CHUNK * 4)
const FREQS = memory.data(NUM_SYMBOLS * 4)
const LENGTHS = memory.data(NUM_SYMBOLS)
const CODES = memory.data(NUM_SYMBOLS * 4)
const OUT = memory.data(MAX_CHUNK + SLACK)

export function inputAddress(): usize {
  return INPUT
}
export function freqsAddress(): usize {
  return FREQS
}
export function lengthsAddress(): usize {
  return LENGTHS
}
export function codesAddress(): usize {
  return CODES
}
export function outAddress(): usize {
  return OUT
}

/** After 2^SKIP_SHIFT positions without a match, searches are one position further apart. */
const SKIP_SHIFT: u32 = 7

/**
 * Rough costs in bits before the Huffman code exists: with them a length-3 match pays off
 * only within 4096 bytes (1024 in small chunks, whose flatter codes make match headers
 * dearer), and a longer match one byte later wins unless its offset needs many more bits.
 */
const LITERAL_BITS: i32 = 7
const MATCH_SYMBOL_BITS: i32 = 9
const SMALL_CHUNK: u32 = 8192
const SMALL_CHUNK_MATCH_SYMBOL_BITS: i32 = 11

let chunkEnd: u32 = 0
/** Offset of the match the last longestMatch call found (valid when it returned more than its `best`). */
let matchOffset: u32 = 0

@inline function hash4(four: u32): u32 {
  return (four * 0x1e35a7bd) >> (32 - HASH4_BITS)
}

@inline function hash3(four: u32): u32 {
  return ((four & 0xffffff) * 0x9e3779b1) >> (32 - HASH3_BITS)
}

@inline function floorLog2(value: u32): u32 {
  return 31 - clz(value)
}

/**
 * Records position `pos` and returns the length of the longest earlier match there, if longer
 * than `best`; otherwise returns `best`. The search stops at a match of `nice` bytes or after
 * `depth` candidates. Positions are visited in increasing order, each at most once, through
 * longestMatch or skip; one never visited is simply never a match source.
 */
@inline function longestMatch(pos: u32, best: u32, nice: u32, depth: i32): u32 {
  const end = chunkEnd
  if (end - pos < 4) return best
  const four = load<u32>(INPUT + pos)
  const slot3 = HEAD3 + (hash3(four) << 1)
  const slot4 = HEAD4 + (hash4(four) << 1)
  const near = <u32>load<u16>(slot3)
  store<u16>(slot3, pos)
  let candidate = <u32>load<u16>(slot4)
  store<u16>(PREV + (pos << 1), candidate)
  store<u16>(slot4, pos)

  const maxLength = end - pos
  if (best >= maxLength) return best
  if (nice > maxLength) nice = maxLength
  let bestLength = best
  if (bestLength < 3 && near != NONE && ((load<u32>(INPUT + near) ^ four) & 0xffffff) == 0) {
    bestLength = 3
    matchOffset = pos - near
  }
  // The last 4 bytes a candidate needs to beat bestLength, compared first: most fail there.
  let tail: u32 = bestLength > 3 ? bestLength - 3 : 0
  let tailWord = load<u32>(INPUT + pos + tail)
  while (candidate != NONE && depth-- > 0) {
    if (load<u32>(INPUT + candidate + tail) == tailWord && load<u32>(INPUT + candidate) == four) {
      // Eight bytes at a time; the first that differs is the lowest set byte of their difference.
      let length: u32 = 4
      for (;;) {
        if (length + 8 > maxLength) {
          while (length < maxLength && load<u8>(INPUT + candidate + length) == load<u8>(INPUT + pos + length)) length++
          break
        }
        const diff = load<u64>(INPUT + candidate + length) ^ load<u64>(INPUT + pos + length)
        if (diff != 0) {
          length += <u32>ctz(diff) >> 3
          break
        }
        length += 8
      }
      if (length > bestLength) {
        bestLength = length
        matchOffset = pos - candidate
        if (length >= nice) break
        tail = length - 3
        tailWord = load<u32>(INPUT + pos + tail)
      }
    }
    candidate = <u32>load<u16>(PREV + (candidate << 1))
  }
  return bestLength
}

/** Records positions [pos, pos + count) without searching (they are inside a chosen match). */
@inline function skip(pos: u32, count: u32): void {
  let stop = pos + count
  if (stop > chunkEnd - 3) stop = chunkEnd - 3
  for (; pos < stop; pos++) {
    const four = load<u32>(INPUT + pos)
    const slot4 = HEAD4 + (hash4(four) << 1)
    store<u16>(HEAD3 + (hash3(four) << 1), pos)
    store<u16>(PREV + (pos << 1), load<u16>(slot4))
    store<u16>(slot4, pos)
  }
}

/** Bits a match saves over literals, by rough costs (the Huffman code does not exist yet). */
@inline function matchGain(length: u32, offset: u32, symbolBits: i32): i32 {
  return <i32>length * LITERAL_BITS - symbolBits - <i32>floorLog2(offset) - (length >= 18 ? 8 : 0)
}

/** The Huffman symbol of a match: offset bit count in the high nibble, length (capped) in the low one. */
@inline function matchSymbol(length: u32, offset: u32): u32 {
  const adjusted = length - MIN_MATCH_LENGTH
  return NUM_CHARS + ((floorLog2(offset) << 4) | (adjusted < LENGTH_ESCAPE ? adjusted : LENGTH_ESCAPE))
}

@inline function count(symbol: u32): void {
  const at = FREQS + (symbol << 2)
  store<u32>(at, load<u32>(at) + 1)
}

/**
 * Lazy parsing, as wimlib does at its default level, of the `size` bytes at `input`: before
 * taking a match, look one byte ahead and prefer a literal there if the next position has a
 * better match. Fills the items and the symbol frequencies, returns the item count.
 *
 * `depth` candidates are examined per position; a match of `nice` bytes is taken at once; only
 * a match shorter than `lazyBelow` waits for a look at the next position; and at most
 * `inserted` positions of a match are recorded for later searches beyond those searched at its
 * start (recording all of a long match costs time for matches that mostly repeat the first ones).
 */
export function parse(size: u32, depth: i32, nice: u32, lazyBelow: u32, inserted: u32): u32 {
  const symbolBits = size <= SMALL_CHUNK ? SMALL_CHUNK_MATCH_SYMBOL_BITS : MATCH_SYMBOL_BITS
  const lazyDepth = depth >> 1 || 1
  memory.fill(FREQS, 0, NUM_SYMBOLS * 4)
  memory.fill(HEAD4, 0xff, (1 << HASH4_BITS) * 2)
  memory.fill(HEAD3, 0xff, (1 << HASH3_BITS) * 2)
  // Loads that reach past the chunk see zeros, not the previous chunk's bytes.
  store<u64>(INPUT + size, 0)
  chunkEnd = size
  let items: u32 = 0
  let pos: u32 = 0
  let misses: u32 = 0
  while (pos < size) {
    let length = longestMatch(pos, MIN_MATCH_LENGTH - 1, nice, depth)
    let offset = matchOffset
    if (length < MIN_MATCH_LENGTH || matchGain(length, offset, symbolBits) <= 0) {
      // Long stretches without matches (already compressed data) are searched ever more sparsely.
      misses++
      let stop = pos + 1 + (misses >> SKIP_SHIFT)
      if (stop > size) stop = size
      for (; pos < stop; pos++) {
        const literal = <u32>load<u8>(INPUT + pos)
        store<u32>(ITEMS + (items++ << 2), literal)
        count(literal)
      }
      continue
    }
    misses = 0
    // pos is where the match starts; `searched` is the next position not yet in the finder.
    let searched = pos + 1
    // Keep deferring while the next position offers a better match.
    while (length < lazyBelow) {
      const next = longestMatch(pos + 1, length, nice, lazyDepth)
      searched = pos + 2
      if (next <= length || matchGain(next, matchOffset, symbolBits) <= matchGain(length, offset, symbolBits)) break
      const literal = <u32>load<u8>(INPUT + pos)
      store<u32>(ITEMS + (items++ << 2), literal)
      count(literal)
      pos++
      length = next
      offset = matchOffset
    }
    store<u32>(ITEMS + (items++ << 2), (length << 16) | offset)
    count(matchSymbol(length, offset))
    let recordUntil = pos + length
    if (recordUntil > searched + inserted) recordUntil = searched + inserted
    if (recordUntil > searched) skip(searched, recordUntil - searched)
    pos += length
  }
  return items
}

/**
 * Writes the block for `items` parsed items with the code in `lengths` and `codes` (which
 * includes the end-of-data symbol): the packed codeword lengths, then the items. Returns the
 * block's size, or 0 as soon as it would exceed `limit` bytes (at most the chunk size).
 *
 * Bits go out in 16-bit little-endian words, most significant bit first. Two word slots are
 * always reserved ahead of the byte stream, and a length byte goes after them: exactly where
 * a decoder that keeps 16 or more bits buffered finds it.
 */
export function encode(items: u32, limit: u32): u32 {
  for (let i: u32 = 0; i < LENGTH_TABLE_BYTES; i++) {
    store<u8>(OUT + i, load<u8>(LENGTHS + 2 * i) | (load<u8>(LENGTHS + 2 * i + 1) << 4))
  }
  let bits: u32 = 0
  let bitCount: u32 = 0
  let wordAt: u32 = LENGTH_TABLE_BYTES
  let nextWordAt: u32 = wordAt + 2
  let byteAt: u32 = wordAt + 4
  for (let i: u32 = 0; i <= items; i++) {
    if (byteAt > limit) return 0
    // The end-of-data symbol goes last, in the form of a literal item.
    const item = i < items ? load<u32>(ITEMS + (i << 2)) : END_OF_DATA
    const length = item >> 16
    const offset = item & 0xffff
    const symbol = length ? matchSymbol(length, offset) : offset
    // A literal is one group of bits, its codeword; a match is two, its codeword and then its
    // offset's low bits, with its length bytes between them.
    let groupBits = load<u32>(CODES + (symbol << 2))
    let groupLength = <u32>load<u8>(LENGTHS + symbol)
    for (let groups = length ? 2 : 1; groups > 0; groups--) {
      bits = (bits << groupLength) | groupBits
      bitCount += groupLength
      // A word is flushed only once more than 16 bits wait, so that a length byte written now
      // lands after the word the decoder loads next, as in wimlib and Microsoft's encoders.
      if (bitCount > 16) {
        bitCount -= 16
        store<u16>(OUT + wordAt, bits >> bitCount)
        wordAt = nextWordAt
        nextWordAt = byteAt
        byteAt += 2
      }
      if (groups === 1) break
      const adjusted = length - MIN_MATCH_LENGTH
      if (adjusted >= LENGTH_ESCAPE) {
        if (adjusted - LENGTH_ESCAPE < LENGTH_BYTE_ESCAPE) {
          store<u8>(OUT + byteAt, adjusted - LENGTH_ESCAPE)
          byteAt++
        } else {
          store<u8>(OUT + byteAt, LENGTH_BYTE_ESCAPE)
          store<u16>(OUT + byteAt + 1, adjusted)
          byteAt += 3
        }
      }
      groupLength = floorLog2(offset)
      groupBits = offset ^ (1 << groupLength)
    }
  }
  store<u16>(OUT + wordAt, bits << (16 - bitCount))
  store<u16>(OUT + nextWordAt, 0)
  return byteAt > limit ? 0 : byteAt
}
