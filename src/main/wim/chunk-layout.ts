import type { RandomAccessReader } from '../io/random-access'
import { readExactly } from '../io/random-access'
import { ResourceFlag, SOLID_HEADER_SIZE, type Compression } from './constants'
import type { SolidResource } from './blob-table'
import { corrupt } from './format-error'
import type { ResourceHeader } from './resource-header'

/**
 * Where each chunk of a resource lies. Chunk i holds uncompressed bytes
 * [i * chunkSize, min((i+1) * chunkSize, uncompressedSize)) and is stored at
 * dataStart + offsets[i] .. dataStart + offsets[i+1]; a chunk stored at its full
 * uncompressed size is raw (it did not shrink).
 */
export interface ChunkLayout {
  readonly compression: Compression
  readonly chunkSize: number
  readonly uncompressedSize: number
  readonly dataStart: number
  readonly offsets: Float64Array
}

export function chunkCount(layout: ChunkLayout): number {
  return layout.offsets.length - 1
}

export function chunkUncompressedSize(layout: ChunkLayout, index: number): number {
  return Math.min(layout.chunkSize, layout.uncompressedSize - index * layout.chunkSize)
}

/** Chunk table entries are 8 bytes only in resources over 4 GiB (never in solid ones). */
export function chunkEntrySize(uncompressedSize: number, solid: boolean): number {
  return uncompressedSize > 0xffffffff && !solid ? 8 : 4
}

/** Bytes of chunk table a plain resource starts with (0 when it is stored uncompressed). */
export function plainChunkTableSize(header: ResourceHeader, compression: Compression, chunkSize: number): number {
  if (!(header.flags & ResourceFlag.COMPRESSED) || compression === 'none') return 0
  const count = Math.ceil(header.uncompressedSize / chunkSize)
  return Math.max(0, count - 1) * chunkEntrySize(header.uncompressedSize, false)
}

/**
 * The layout of a plain (non-solid) resource from its chunk table (the first
 * plainChunkTableSize bytes of the resource). Pure, so pool workers can use it too.
 */
export function plainLayoutFromTable(header: ResourceHeader, compression: Compression, chunkSize: number, table: Uint8Array, file: string): ChunkLayout {
  const usize = header.uncompressedSize
  const count = Math.ceil(usize / chunkSize)
  const offsets = new Float64Array(count + 1)
  if (!(header.flags & ResourceFlag.COMPRESSED) || compression === 'none') {
    for (let i = 0; i <= count; i++) offsets[i] = Math.min(i * chunkSize, usize)
    return { compression: 'none', chunkSize, uncompressedSize: usize, dataStart: header.offset, offsets }
  }
  const entrySize = chunkEntrySize(usize, false)
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength)
  for (let i = 1; i < count; i++) {
    offsets[i] = entrySize === 4 ? view.getUint32((i - 1) * 4, true) : Number(view.getBigUint64((i - 1) * 8, true))
  }
  offsets[count] = header.sizeInWim - table.length
  const layout = { compression, chunkSize, uncompressedSize: usize, dataStart: header.offset + table.length, offsets }
  validate(layout, file, header.offset)
  return layout
}

/** The layout of a plain (non-solid) resource, reading its chunk table if it is compressed. */
export async function plainResourceLayout(
  reader: RandomAccessReader,
  header: ResourceHeader,
  compression: Compression,
  chunkSize: number,
): Promise<ChunkLayout> {
  const tableSize = plainChunkTableSize(header, compression, chunkSize)
  if (tableSize > header.sizeInWim) {
    throw corrupt(reader.name, 'chunk table', header.offset, `a ${tableSize}-byte chunk table does not fit the ${header.sizeInWim}-byte resource`)
  }
  const table = await readExactly(reader, header.offset, tableSize, 'chunk table')
  return plainLayoutFromTable(header, compression, chunkSize, table, reader.name)
}

/** The layout of a solid resource: a 16-byte header, then one compressed size per chunk. */
export async function solidResourceLayout(reader: RandomAccessReader, resource: SolidResource): Promise<ChunkLayout> {
  const count = Math.ceil(resource.uncompressedSize / resource.chunkSize)
  const tableSize = count * 4
  if (SOLID_HEADER_SIZE + tableSize > resource.sizeInWim) {
    throw corrupt(reader.name, 'solid chunk table', resource.offset, `table of ${count} chunks does not fit the ${resource.sizeInWim}-byte resource`)
  }
  const table = await readExactly(reader, resource.offset + SOLID_HEADER_SIZE, tableSize, 'solid chunk table')
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength)
  const offsets = new Float64Array(count + 1)
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i]! + view.getUint32(i * 4, true)
  const dataStart = resource.offset + SOLID_HEADER_SIZE + tableSize
  if (dataStart + offsets[count]! > resource.offset + resource.sizeInWim) {
    throw corrupt(reader.name, 'solid chunk table', resource.offset, `chunks (${offsets[count]} bytes) run past the end of the resource`)
  }
  const layout = { compression: resource.compression, chunkSize: resource.chunkSize, uncompressedSize: resource.uncompressedSize, dataStart, offsets }
  validate(layout, reader.name, resource.offset)
  return layout
}

function validate(layout: ChunkLayout, file: string, resourceOffset: number): void {
  const count = chunkCount(layout)
  for (let i = 0; i < count; i++) {
    const stored = layout.offsets[i + 1]! - layout.offsets[i]!
    const expanded = chunkUncompressedSize(layout, i)
    if (stored <= 0 || stored > expanded) {
      throw corrupt(file, 'chunk table', resourceOffset, `chunk ${i} is stored in ${stored} bytes for ${expanded} uncompressed bytes`)
    }
  }
}
