import { X86_ID_WINDOW_SIZE, X86_MAX_TRANSLATION_OFFSET } from './constants'

/** First bytes of the instructions the filter looks at (see translateAt). */
const CANDIDATE = new Uint8Array(256)
for (const opcode of [0x48, 0x4c, 0xe8, 0xe9, 0xf0, 0xff]) CANDIDATE[opcode] = 1

/**
 * LZMS's x86 preprocessing. Relative addresses in calls and RIP-relative loads are turned into
 * absolute ones before compression (`undo` false) and back after decompression (`undo` true):
 * repeated calls to one function then look alike to the LZ stage.
 *
 * The filter runs on every chunk and guesses where machine code is: an instruction is trusted
 * when the target it names (low 16 bits only) was named by another candidate less than 64 KiB
 * before; translation is then allowed for the next 1023 bytes (511 for calls, which are
 * common in any data). Both directions decide on the same untranslated values, so they agree.
 * `usage` is scratch of 65536 entries (the last position each target was seen at).
 */
export function x86Filter(data: Uint8Array, size: number, usage: Int32Array, undo: boolean): void {
  // Nothing is ever translated in the last 16 bytes, nor in chunks this short.
  if (size <= 17) return
  usage.fill(-X86_ID_WINDOW_SIZE - 1)
  let lastX86 = -X86_MAX_TRANSLATION_OFFSET - 1
  const end = size - 16
  // The first byte is never an opcode here.
  let i = 1
  while (i < end) {
    const op = data[i]!
    if (CANDIDATE[op] === 0) {
      i++
      continue
    }
    let opcodeBytes = 0
    let maxOffset = X86_MAX_TRANSLATION_OFFSET
    if (op === 0xe8) {
      // Call: so common in other data that it needs recent evidence of code.
      opcodeBytes = 1
      maxOffset >>= 1
    } else if (op === 0xe9) {
      // Jump: deliberately never translated; skip it and its operand.
      i += 5
      continue
    } else if (op === 0xff) {
      // Indirect call through a RIP-relative pointer.
      if (data[i + 1] === 0x15) opcodeBytes = 2
    } else if (op === 0xf0) {
      // Lock add to a RIP-relative operand.
      if (data[i + 1] === 0x83 && data[i + 2] === 0x05) opcodeBytes = 3
    } else {
      // REX.W prefix (0x48, 0x4c) of LEA or MOV with a ModR/M byte whose R/M field says
      // RIP-relative (the format tests only R/M, not Mod).
      const opcode = data[i + 1]!
      const modrm = data[i + 2]!
      if ((modrm & 0x07) === 0x05 && (opcode === 0x8d || (opcode === 0x8b && !(op & 0x04) && !(modrm & 0xf0)))) opcodeBytes = 3
    }
    if (opcodeBytes === 0) {
      i++
      continue
    }
    const operand = i + opcodeBytes
    let target: number
    if (undo) {
      if (i - lastX86 <= maxOffset) addToOperand(data, operand, -i)
      target = (i + (data[operand]! | (data[operand + 1]! << 8))) & 0xffff
    } else {
      target = (i + (data[operand]! | (data[operand + 1]! << 8))) & 0xffff
      if (i - lastX86 <= maxOffset) addToOperand(data, operand, i)
    }
    // Positions from here on are those of the operand's last byte.
    const last = operand + 3
    if (last - usage[target]! <= X86_ID_WINDOW_SIZE) lastX86 = last
    usage[target] = last
    i = operand + 4
  }
}

/** Adds `delta` to the little-endian 32-bit value at `at`, modulo 2^32. */
function addToOperand(data: Uint8Array, at: number, delta: number): void {
  const value = (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) + delta
  data[at] = value
  data[at + 1] = value >>> 8
  data[at + 2] = value >>> 16
  data[at + 3] = value >>> 24
}
