import { randomUUID } from 'node:crypto'

/**
 * GUIDs as GPT stores them: the first three fields little-endian, the last two as bytes in
 * order ("mixed-endian"), so C12A7328-F81F-... is stored 28 73 2A C1 1F F8 ...
 * In memory a GUID is its canonical upper-case text, which is how sgdisk and sfdisk print it.
 */
export const ZERO_GUID = '00000000-0000-0000-0000-000000000000'

const GUID_PATTERN = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i

export function isGuid(text: string): boolean {
  return GUID_PATTERN.test(text)
}

export function randomGuid(): string {
  return randomUUID().toUpperCase()
}

export function readGuid(bytes: Uint8Array, at: number): string {
  const hex = (from: number, to: number, reversed: boolean): string => {
    const part = Array.from(bytes.subarray(at + from, at + to), (b) => b.toString(16).padStart(2, '0'))
    return (reversed ? part.reverse() : part).join('')
  }
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-').toUpperCase()
}

/** Writes a GUID the caller has checked with isGuid. */
export function writeGuid(bytes: Uint8Array, at: number, guid: string): void {
  const hex = guid.replace(/-/g, '')
  const byte = (i: number): number => parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
  order.forEach((source, i) => {
    bytes[at + i] = byte(source)
  })
}
