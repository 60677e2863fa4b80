/**
 * The x86 CALL translation LZX applies around compression. The 32-bit operand after each
 * 0xE8 byte is turned from relative to absolute before compression, so calls to one function
 * from many places repeat, and back after decompression. In WIM files it is always on, uses a
 * fixed "file size" of 12000000, counts positions from the start of each chunk, and leaves a
 * CALL alone if it starts in the last 10 bytes of the chunk. After a translated (or checked)
 * 0xE8, its four operand bytes are never taken as the start of another CALL.
 */

const TRANSLATION_SIZE = 12_000_000
/** A CALL must start before the last 10 bytes of the chunk. */
const TAIL = 10
/** Four 0xE8 bytes, to find the words that hold one. */
const FOUR_E8 = 0xe8e8e8e8 | 0

/**
 * Calls `forward ? translate : untranslate` on every CALL of the chunk. The scan reads four
 * bytes at a time where the chunk is 4-aligned in memory (which ours always are): a word
 * holds an 0xE8 byte iff its XOR with four 0xE8 bytes has a zero byte.
 */
function convert(data: Uint8Array, forward: boolean): void {
  const limit = data.length - TAIL
  if (limit <= 0) return
  const words = data.byteOffset & 3 ? null : new Int32Array(data.buffer, data.byteOffset, data.length >>> 2)
  const operands = new DataView(data.buffer, data.byteOffset, data.byteLength)
  let at = 0
  while (at < limit) {
    if (words && (at & 3) === 0) {
      let w = at >>> 2
      const wordLimit = (limit + 3) >>> 2
      for (; w < wordLimit; w++) {
        const x = words[w] ^ FOUR_E8
        if ((x - 0x01010101) & ~x & 0x80808080) break
      }
      at = w << 2
      if (at >= limit) return
    }
    if (data[at] !== 0xe8) {
      at++
      continue
    }
    const value = operands.getInt32(at + 1, true)
    if (forward) {
      if (value >= -at && value < TRANSLATION_SIZE) operands.setInt32(at + 1, value < TRANSLATION_SIZE - at ? value + at : value - TRANSLATION_SIZE, true)
    } else if (value >= 0) {
      if (value < TRANSLATION_SIZE) operands.setInt32(at + 1, value - at, true)
    } else if (value >= -at) {
      operands.setInt32(at + 1, value + TRANSLATION_SIZE, true)
    }
    at += 5
  }
}

/** Relative CALL targets to absolute ones, in place, before compression. */
export function translateE8(data: Uint8Array): void {
  convert(data, true)
}

/** Absolute CALL targets back to relative ones, in place, after decompression. */
export function untranslateE8(data: Uint8Array): void {
  convert(data, false)
}
