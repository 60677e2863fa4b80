import {
  BLOB_TABLE_ENTRY_SIZE,
  COMPRESSION_FORMAT_NUMBERS,
  ResourceFlag,
  SHA1_SIZE,
  SOLID_HEADER_SIZE,
  SOLID_RESOURCE_MAGIC,
  type Compression,
} from './constants'
import { corrupt, readU64 } from './format-error'
import { parseResourceHeader, writeResourceHeader, type ResourceHeader } from './resource-header'
import { isZeroHash, toHex } from './sha1'

/** One 50-byte entry of the on-disk blob table, before solid runs are resolved. */
export interface RawBlobEntry {
  header: ResourceHeader
  part: number
  refCount: number
  hash: Uint8Array
  /** Byte offset of the entry in the file, for error messages. */
  at: number
}

/** A solid resource: many blobs compressed together (ESD files). */
export interface SolidResource {
  part: number
  offset: number
  sizeInWim: number
  uncompressedSize: number
  chunkSize: number
  compression: Compression
}

export type BlobLocation =
  | { kind: 'resource'; part: number; header: ResourceHeader }
  | { kind: 'solid'; part: number; resource: SolidResource; offset: number }

export interface BlobEntry {
  /** SHA-1 of the uncompressed data, lower-case hex: the blob's identity. */
  hash: string
  size: number
  refCount: number
  location: BlobLocation
}

export interface BlobTable {
  /** Metadata resources in table order: the i-th belongs to image i+1. */
  metadata: BlobEntry[]
  blobs: Map<string, BlobEntry>
  solidResources: SolidResource[]
  /** Entries we skipped, in words, for the log. */
  warnings: string[]
}

export interface SolidHeader {
  uncompressedSize: number
  chunkSize: number
  compression: Compression
}

export function parseBlobTableEntries(bytes: Uint8Array, file: string, tableOffset: number): RawBlobEntry[] {
  if (bytes.length % BLOB_TABLE_ENTRY_SIZE !== 0) {
    throw corrupt(file, 'blob table', tableOffset, `size ${bytes.length} is not a multiple of ${BLOB_TABLE_ENTRY_SIZE}`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const entries: RawBlobEntry[] = []
  for (let at = 0; at < bytes.length; at += BLOB_TABLE_ENTRY_SIZE) {
    entries.push({
      header: parseResourceHeader(view, at, file, 'blob table entry'),
      part: view.getUint16(at + 24, true),
      refCount: view.getUint32(at + 26, true),
      hash: bytes.slice(at + 30, at + 30 + SHA1_SIZE),
      at: tableOffset + at,
    })
  }
  return entries
}

export function parseSolidHeader(bytes: Uint8Array, file: string, offset: number): SolidHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const uncompressedSize = readU64(view, 0, file, 'solid resource header', offset)
  const chunkSize = view.getUint32(8, true)
  const format = view.getUint32(12, true)
  const compression = COMPRESSION_FORMAT_NUMBERS[format]
  if (!compression) throw corrupt(file, 'solid resource header', offset + 12, `unknown compression format ${format}`)
  if (chunkSize === 0 || (chunkSize & (chunkSize - 1)) !== 0 || chunkSize > 2 ** 30) {
    throw corrupt(file, 'solid resource header', offset + 8, `chunk size ${chunkSize} is not a power of two up to 1 GiB`)
  }
  return { uncompressedSize, chunkSize, compression }
}

export function serializeSolidHeader(header: SolidHeader): Uint8Array {
  const bytes = new Uint8Array(SOLID_HEADER_SIZE)
  const view = new DataView(bytes.buffer)
  view.setBigUint64(0, BigInt(header.uncompressedSize), true)
  view.setUint32(8, header.chunkSize, true)
  view.setUint32(12, COMPRESSION_FORMAT_NUMBERS.indexOf(header.compression), true)
  return bytes
}

/**
 * Turns the raw entries into blobs with their locations. A run of consecutive entries with
 * the SOLID flag describes solid resources (entries whose uncompressed size is the magic
 * 2^32) and the blobs in them, whose offsets count across all resources of the run as if they
 * were one (how WIMGAPI writes them). Entries wimlib and WIMGAPI ignore (zero hash, empty,
 * another part's, duplicates) are skipped with a warning; anything pointing outside its
 * resource is an error.
 */
export async function resolveBlobTable(
  entries: RawBlobEntry[],
  context: { file: string; partNumber: number; solidAllowed: boolean; readSolidHeader: (offset: number) => Promise<SolidHeader> },
): Promise<BlobTable> {
  const table: BlobTable = { metadata: [], blobs: new Map(), solidResources: [], warnings: [] }
  const skipped = { zero: 0, empty: 0, otherPart: 0, duplicate: 0 }
  let run: SolidResource[] | null = null

  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!
    const solid = context.solidAllowed && (entry.header.flags & ResourceFlag.SOLID) !== 0
    if (!solid) run = null
    if (solid && run === null) {
      run = []
      for (let j = i; j < entries.length && entries[j]!.header.flags & ResourceFlag.SOLID; j++) {
        const r = entries[j]!
        if (r.header.uncompressedSize !== SOLID_RESOURCE_MAGIC) continue
        const header = await context.readSolidHeader(r.header.offset)
        const resource: SolidResource = { part: r.part, offset: r.header.offset, sizeInWim: r.header.sizeInWim, ...header }
        run.push(resource)
        table.solidResources.push(resource)
      }
    }
    if (solid && entry.header.uncompressedSize === SOLID_RESOURCE_MAGIC) continue

    if (isZeroHash(entry.hash)) {
      skipped.zero++
      continue
    }
    let location: BlobLocation
    let size: number
    if (solid) {
      // Inside a solid run the stored size is the blob's uncompressed size.
      size = entry.header.sizeInWim
      location = locateInSolidRun(run!, entry, size, context.file)
    } else {
      size = entry.header.uncompressedSize
      if (!(entry.header.flags & ResourceFlag.COMPRESSED) && entry.header.sizeInWim !== size) {
        throw corrupt(context.file, 'blob table entry', entry.at, `uncompressed resource stores ${entry.header.sizeInWim} bytes for ${size}`)
      }
      location = { kind: 'resource', part: entry.part, header: entry.header }
    }
    if (size === 0) {
      skipped.empty++
      continue
    }
    if (entry.part !== context.partNumber) {
      skipped.otherPart++
      continue
    }
    const blob: BlobEntry = { hash: toHex(entry.hash), size, refCount: entry.refCount, location }
    if (entry.header.flags & ResourceFlag.METADATA) {
      // Metadata resources belong to images in table order, whatever their offsets say.
      if (entry.refCount === 0) continue
      if (solid) throw corrupt(context.file, 'blob table entry', entry.at, 'image metadata inside a solid resource')
      table.metadata.push(blob)
      continue
    }
    if (table.blobs.has(blob.hash)) {
      skipped.duplicate++
      continue
    }
    table.blobs.set(blob.hash, blob)
  }
  if (skipped.zero) table.warnings.push(`${skipped.zero} blob table entries with an all-zero hash ignored`)
  if (skipped.empty) table.warnings.push(`${skipped.empty} empty blobs ignored`)
  if (skipped.otherPart) table.warnings.push(`${skipped.otherPart} blobs with another part number ignored`)
  if (skipped.duplicate) table.warnings.push(`${skipped.duplicate} duplicate blobs ignored`)
  return table
}

function locateInSolidRun(run: SolidResource[], entry: RawBlobEntry, size: number, file: string): BlobLocation {
  let offset = entry.header.offset
  for (const resource of run) {
    if (offset + size <= resource.uncompressedSize) return { kind: 'solid', part: resource.part, resource, offset }
    offset -= resource.uncompressedSize
  }
  throw corrupt(file, 'blob table entry', entry.at, `blob of ${size} bytes at ${entry.header.offset} lies outside its solid resources`)
}

/** An entry for the table we write: a plain resource or a blob/resource of a solid run. */
export interface BlobTableRecord {
  header: ResourceHeader
  part: number
  refCount: number
  hash: Uint8Array
}

export function serializeBlobTable(records: readonly BlobTableRecord[]): Uint8Array {
  const bytes = new Uint8Array(records.length * BLOB_TABLE_ENTRY_SIZE)
  const view = new DataView(bytes.buffer)
  records.forEach((record, i) => {
    const at = i * BLOB_TABLE_ENTRY_SIZE
    writeResourceHeader(view, at, record.header)
    view.setUint16(at + 24, record.part, true)
    view.setUint32(at + 26, record.refCount, true)
    bytes.set(record.hash, at + 30)
  })
  return bytes
}

export { SOLID_HEADER_SIZE }
