import { RESOURCE_HEADER_SIZE } from './constants'
import { corrupt, readU64 } from './format-error'

/**
 * Where a resource lives: 24 bytes on disk. The stored size is 56 bits with the flags in
 * the top byte; for blobs inside a solid resource the fields mean offset/size within it.
 */
export interface ResourceHeader {
  sizeInWim: number
  flags: number
  offset: number
  uncompressedSize: number
}

export const EMPTY_RESOURCE: ResourceHeader = { sizeInWim: 0, flags: 0, offset: 0, uncompressedSize: 0 }

export function parseResourceHeader(view: DataView, at: number, file: string, structure: string): ResourceHeader {
  const low = view.getUint32(at, true)
  const high = view.getUint32(at + 4, true)
  return {
    sizeInWim: (high & 0x00ffffff) * 0x100000000 + low,
    flags: high >>> 24,
    offset: readU64(view, at + 8, file, structure),
    uncompressedSize: readU64(view, at + 16, file, structure),
  }
}

export function writeResourceHeader(view: DataView, at: number, header: ResourceHeader): void {
  if (header.sizeInWim >= 2 ** 56) throw corrupt('(output)', 'resource header', null, `size ${header.sizeInWim} does not fit 56 bits`)
  view.setUint32(at, header.sizeInWim >>> 0, true)
  view.setUint32(at + 4, ((header.flags & 0xff) << 24) | Math.floor(header.sizeInWim / 0x100000000), true)
  view.setBigUint64(at + 8, BigInt(header.offset), true)
  view.setBigUint64(at + 16, BigInt(header.uncompressedSize), true)
}

export function isEmptyResource(header: ResourceHeader): boolean {
  return header.sizeInWim === 0 && header.offset === 0 && header.uncompressedSize === 0
}

export { RESOURCE_HEADER_SIZE }
