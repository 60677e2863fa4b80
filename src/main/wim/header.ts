import {
  HeaderFlag,
  PIPABLE_WIM_MAGIC,
  WIM_HEADER_SIZE,
  WIM_MAGIC,
  WIM_VERSION_DEFAULT,
  WIM_VERSION_SOLID,
  type Compression,
} from './constants'
import { corrupt, unsupported } from './format-error'
import { parseResourceHeader, writeResourceHeader, type ResourceHeader } from './resource-header'

/** The 208-byte header at the start of every WIM (and of every part of a split WIM). */
export interface WimHeader {
  version: number
  flags: number
  /** Uncompressed bytes per chunk of compressed resources. */
  chunkSize: number
  compression: Compression
  guid: Uint8Array
  partNumber: number
  totalParts: number
  imageCount: number
  blobTable: ResourceHeader
  xml: ResourceHeader
  bootMetadata: ResourceHeader
  /** 1-based index of the bootable image, 0 when none. */
  bootIndex: number
  integrity: ResourceHeader
}

/** Chunk sizes each codec accepts (powers of two), as wimlib and Microsoft's tools do. */
const CHUNK_SIZE_LIMITS: Record<Exclude<Compression, 'none'>, [number, number]> = {
  xpress: [2 ** 12, 2 ** 26],
  lzx: [2 ** 15, 2 ** 21],
  lzms: [2 ** 15, 2 ** 30],
}

export function compressionFromFlags(flags: number): Compression | null {
  if (!(flags & HeaderFlag.COMPRESSION)) return 'none'
  if (flags & HeaderFlag.COMPRESS_LZMS) return 'lzms'
  if (flags & HeaderFlag.COMPRESS_LZX) return 'lzx'
  if (flags & (HeaderFlag.COMPRESS_XPRESS | HeaderFlag.COMPRESS_XPRESS_2)) return 'xpress'
  return null
}

export function compressionFlags(compression: Compression): number {
  switch (compression) {
    case 'none':
      return 0
    case 'xpress':
      return HeaderFlag.COMPRESSION | HeaderFlag.COMPRESS_XPRESS
    case 'lzx':
      return HeaderFlag.COMPRESSION | HeaderFlag.COMPRESS_LZX
    case 'lzms':
      return HeaderFlag.COMPRESSION | HeaderFlag.COMPRESS_LZMS
  }
}

export function isValidChunkSize(compression: Compression, chunkSize: number): boolean {
  if (compression === 'none') return true
  const [min, max] = CHUNK_SIZE_LIMITS[compression]
  return chunkSize >= min && chunkSize <= max && (chunkSize & (chunkSize - 1)) === 0
}

export function parseHeader(bytes: Uint8Array, file: string, fileSize: number): WimHeader {
  if (bytes.length < WIM_HEADER_SIZE) throw corrupt(file, 'WIM header', 0, `file is only ${bytes.length} bytes`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magic = String.fromCharCode(...bytes.subarray(0, 8))
  if (magic === PIPABLE_WIM_MAGIC) throw unsupported(file, 'a pipable WIM (wimlib --pipable); convert it with wimlib-imagex optimize')
  if (magic !== WIM_MAGIC) throw corrupt(file, 'WIM header', 0, 'not a WIM file (no MSWIM signature)')
  const headerSize = view.getUint32(8, true)
  if (headerSize !== WIM_HEADER_SIZE) throw corrupt(file, 'WIM header', 8, `header size ${headerSize}, expected ${WIM_HEADER_SIZE}`)
  const version = view.getUint32(12, true)
  if (version !== WIM_VERSION_DEFAULT && version !== WIM_VERSION_SOLID) throw unsupported(file, `WIM version 0x${version.toString(16)}`)
  const flags = view.getUint32(16, true)
  const compression = compressionFromFlags(flags)
  if (compression === null) throw corrupt(file, 'WIM header', 16, `compression flag set without a known format (flags 0x${flags.toString(16)})`)
  const chunkSize = view.getUint32(20, true)
  if (!isValidChunkSize(compression, chunkSize)) throw corrupt(file, 'WIM header', 20, `chunk size ${chunkSize} is not valid for ${compression}`)
  const partNumber = view.getUint16(40, true)
  const totalParts = view.getUint16(42, true)
  if (partNumber < 1 || totalParts < 1 || partNumber > totalParts) {
    throw corrupt(file, 'WIM header', 40, `part ${partNumber} of ${totalParts} is impossible`)
  }
  const header: WimHeader = {
    version,
    flags,
    chunkSize: compression === 'none' ? chunkSize || 32768 : chunkSize,
    compression,
    guid: bytes.slice(24, 40),
    partNumber,
    totalParts,
    imageCount: view.getUint32(44, true),
    blobTable: parseResourceHeader(view, 48, file, 'blob table header'),
    xml: parseResourceHeader(view, 72, file, 'XML data header'),
    bootMetadata: parseResourceHeader(view, 96, file, 'boot metadata header'),
    bootIndex: view.getUint32(120, true),
    integrity: parseResourceHeader(view, 124, file, 'integrity table header'),
  }
  const resources: Array<[string, number, ResourceHeader]> = [
    ['blob table', 48, header.blobTable],
    ['XML data', 72, header.xml],
    ['integrity table', 124, header.integrity],
  ]
  for (const [what, at, res] of resources) {
    if (res.offset + res.sizeInWim > fileSize) {
      throw corrupt(file, 'WIM header', at, `${what} (${res.sizeInWim} bytes at ${res.offset}) lies beyond the end of the file (${fileSize} bytes)`)
    }
  }
  if (header.bootIndex > header.imageCount) {
    throw corrupt(file, 'WIM header', 120, `boot index ${header.bootIndex} but only ${header.imageCount} images`)
  }
  return header
}

export function serializeHeader(header: WimHeader): Uint8Array {
  const bytes = new Uint8Array(WIM_HEADER_SIZE)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < 8; i++) bytes[i] = WIM_MAGIC.charCodeAt(i)
  view.setUint32(8, WIM_HEADER_SIZE, true)
  view.setUint32(12, header.version, true)
  view.setUint32(16, header.flags, true)
  view.setUint32(20, header.compression === 'none' ? 0 : header.chunkSize, true)
  bytes.set(header.guid.subarray(0, 16), 24)
  view.setUint16(40, header.partNumber, true)
  view.setUint16(42, header.totalParts, true)
  view.setUint32(44, header.imageCount, true)
  writeResourceHeader(view, 48, header.blobTable)
  writeResourceHeader(view, 72, header.xml)
  writeResourceHeader(view, 96, header.bootMetadata)
  view.setUint32(120, header.bootIndex, true)
  writeResourceHeader(view, 124, header.integrity)
  return bytes
}
