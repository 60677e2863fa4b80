/**
 * Fixed-width byte text of FAT structures (OEM name, labels, short names) as strings of
 * one character per byte, so a name round-trips whatever its bytes are.
 */
export function writeLatin1(bytes: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i)
}

export function readLatin1(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length))
}
