/** UTF-16LE, the encoding of names and text in WIM and Windows structures. */
export function encodeUtf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2)
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    bytes[i * 2] = code & 0xff
    bytes[i * 2 + 1] = code >>> 8
  }
  return bytes
}
