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

function readI32(data: Uint8Array, at: number): number {
  return data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)
}

function writeI32(data: Uint8Array, at: number, value: number): void {
  data[at] = value
  data[at + 1] = value >> 8
  data[at + 2] = value >> 16
  data[at + 3] = value >> 24
}

/** Relative CALL targets to absolute ones, in place, before compression. */
export function translateE8(data: Uint8Array): void {
  const limit = data.length - TAIL
  for (let at = data.indexOf(0xe8); at !== -1 && at < limit; at = data.indexOf(0xe8, at + 5)) {
    const rel = readI32(data, at + 1)
    if (rel >= -at && rel < TRANSLATION_SIZE) writeI32(data, at + 1, rel < TRANSLATION_SIZE - at ? rel + at : rel - TRANSLATION_SIZE)
  }
}

/** Absolute CALL targets back to relative ones, in place, after decompression. */
export function untranslateE8(data: Uint8Array): void {
  const limit = data.length - TAIL
  for (let at = data.indexOf(0xe8); at !== -1 && at < limit; at = data.indexOf(0xe8, at + 5)) {
    const abs = readI32(data, at + 1)
    if (abs >= 0) {
      if (abs < TRANSLATION_SIZE) writeI32(data, at + 1, abs - at)
    } else if (abs >= -at) {
      writeI32(data, at + 1, abs + TRANSLATION_SIZE)
    }
  }
}
