import { corrupt, readU64 } from '../format-error'

/**
 * The security descriptors of an image: a table at the start of the metadata resource that
 * dentries index by security id. Its length is rounded up to 8, and the root dentry follows.
 */
export interface SecurityData {
  descriptors: Uint8Array[]
  /** Bytes the table takes in the metadata resource (8-aligned): where the root dentry starts. */
  length: number
}

export function parseSecurityData(buf: Uint8Array, file: string): SecurityData {
  if (buf.length < 8) throw corrupt(file, 'security data', 0, 'metadata resource too short')
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const totalLength = view.getUint32(0, true)
  const count = view.getUint32(4, true)
  // Each entry needs at least its 8-byte size field, so the count is bounded by the length.
  if (totalLength < 8 || totalLength > buf.length || count > (totalLength - 8) / 8) {
    throw corrupt(file, 'security data', 0, `length ${totalLength} with ${count} descriptors does not fit the ${buf.length}-byte metadata`)
  }
  const descriptors: Uint8Array[] = []
  let at = 8 + count * 8
  for (let i = 0; i < count; i++) {
    const size = readU64(view, 8 + i * 8, file, 'security descriptor size')
    if (at + size > totalLength) throw corrupt(file, 'security descriptor', at, `descriptor ${i} of ${size} bytes runs past the security data`)
    descriptors.push(buf.slice(at, at + size))
    at += size
  }
  return { descriptors, length: (totalLength + 7) & ~7 }
}

export function serializeSecurityData(descriptors: readonly Uint8Array[]): Uint8Array {
  const total = 8 + descriptors.length * 8 + descriptors.reduce((n, d) => n + d.length, 0)
  const bytes = new Uint8Array((total + 7) & ~7)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, total, true)
  view.setUint32(4, descriptors.length, true)
  let at = 8 + descriptors.length * 8
  descriptors.forEach((d, i) => {
    view.setBigUint64(8 + i * 8, BigInt(d.length), true)
    bytes.set(d, at)
    at += d.length
  })
  return bytes
}
