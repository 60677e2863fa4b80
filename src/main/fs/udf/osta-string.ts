import type { StructureView } from '../iso/structure-view'

/**
 * OSTA Compressed Unicode (UDF 2.1.1): a compression ID byte, then 8-bit characters (the
 * first 256 code points) or 16-bit big-endian UTF-16 code units. IDs 254 and 255 are the
 * same encodings, which UDF 2.50 uses for the names of deleted files.
 */
export function decodeOstaString(view: StructureView, at: number, length: number): string {
  if (length === 0) return ''
  const id = view.u8(at)
  const body = view.slice(at + 1, length - 1)
  if (id === 8 || id === 254) return String.fromCharCode(...body)
  if (id === 16 || id === 255) {
    if (body.length % 2 !== 0) view.fail(`16-bit name has an odd length of ${body.length} bytes`, at)
    const units: number[] = []
    for (let i = 0; i < body.length; i += 2) units.push((body[i] << 8) | body[i + 1])
    return String.fromCharCode(...units)
  }
  return view.fail(`unknown name compression ID ${id}`, at)
}

/** A dstring (ECMA-167 1/7.2.12): a fixed field whose last byte gives the recorded length. */
export function decodeDstring(view: StructureView, at: number, fieldLength: number): string {
  const used = view.u8(at + fieldLength - 1)
  if (used > fieldLength - 1) view.fail(`a ${fieldLength}-byte string field claims ${used} bytes`, at)
  return decodeOstaString(view, at, used)
}
