import { createHash } from 'node:crypto'
import type { RandomAccessReader } from '../io/random-access'
import { readExactly } from '../io/random-access'
import { SHA1_SIZE, WIM_HEADER_SIZE } from './constants'
import { corrupt } from './format-error'
import type { WimHeader } from './header'
import { toHex } from './sha1'

/** The integrity table hashes the file in chunks of this size (what WIMGAPI uses). */
export const INTEGRITY_CHUNK_SIZE = 10 * 1024 * 1024

export interface IntegrityTable {
  chunkSize: number
  hashes: string[]
}

/** What the table covers: from the end of the header to the end of the blob table. */
export function integrityRange(header: WimHeader): { start: number; end: number } {
  return { start: WIM_HEADER_SIZE, end: header.blobTable.offset + header.blobTable.sizeInWim }
}

export function parseIntegrityTable(bytes: Uint8Array, file: string, offset: number): IntegrityTable {
  if (bytes.length < 12) throw corrupt(file, 'integrity table', offset, 'too short')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const size = view.getUint32(0, true)
  const count = view.getUint32(4, true)
  const chunkSize = view.getUint32(8, true)
  if (size !== bytes.length || 12 + count * SHA1_SIZE !== size || chunkSize === 0) {
    throw corrupt(file, 'integrity table', offset, `size ${size}, ${count} entries of chunk ${chunkSize} do not agree with its ${bytes.length} bytes`)
  }
  const hashes: string[] = []
  for (let i = 0; i < count; i++) hashes.push(toHex(bytes.subarray(12 + i * SHA1_SIZE, 12 + (i + 1) * SHA1_SIZE)))
  return { chunkSize, hashes }
}

export function serializeIntegrityTable(table: IntegrityTable): Uint8Array {
  const bytes = new Uint8Array(12 + table.hashes.length * SHA1_SIZE)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, bytes.length, true)
  view.setUint32(4, table.hashes.length, true)
  view.setUint32(8, table.chunkSize, true)
  table.hashes.forEach((h, i) => bytes.set(Buffer.from(h, 'hex'), 12 + i * SHA1_SIZE))
  return bytes
}

/** SHA-1 of each chunk of [start, end) of the file: what a table records and a check compares. */
export async function hashIntegrityChunks(reader: RandomAccessReader, start: number, end: number, chunkSize: number, onChunk?: (bytes: number) => void): Promise<string[]> {
  const hashes: string[] = []
  for (let at = start; at < end; at += chunkSize) {
    const length = Math.min(chunkSize, end - at)
    const data = await readExactly(reader, at, length, 'integrity-checked data')
    hashes.push(createHash('sha1').update(data).digest('hex'))
    onChunk?.(length)
  }
  return hashes
}

/** Indexes of the chunks whose hash does not match; null when the part has no table. */
export async function checkIntegrity(reader: RandomAccessReader, header: WimHeader, onChunk?: (bytes: number) => void): Promise<number[] | null> {
  if (header.integrity.sizeInWim === 0) return null
  const table = parseIntegrityTable(await readExactly(reader, header.integrity.offset, header.integrity.sizeInWim, 'integrity table'), reader.name, header.integrity.offset)
  const { start, end } = integrityRange(header)
  const expectedCount = Math.ceil((end - start) / table.chunkSize)
  if (table.hashes.length !== expectedCount) {
    throw corrupt(reader.name, 'integrity table', header.integrity.offset, `has ${table.hashes.length} entries for ${expectedCount} chunks`)
  }
  const actual = await hashIntegrityChunks(reader, start, end, table.chunkSize, onChunk)
  return actual.flatMap((hash, i) => (hash === table.hashes[i] ? [] : [i]))
}
