import { crc32 } from 'node:zlib'
import { corrupt, type Origin } from './corrupt'
import { readGuid, writeGuid } from './guid'
import { readSafeU64, writeU64 } from './u64'

/**
 * The GPT header (UEFI specification, chapter 5): one sector, at LBA 1 for the primary copy
 * and at the last LBA for the backup. Parsed and serialised here only.
 */
export interface GptHeader {
  myLba: number
  alternateLba: number
  firstUsableLba: number
  lastUsableLba: number
  diskGuid: string
  entriesLba: number
  entryCount: number
  entrySize: number
  entriesCrc32: number
}

const SIGNATURE = 'EFI PART'
const REVISION_1_0 = 0x00010000
export const GPT_HEADER_SIZE = 92
const CRC_OFFSET = 16

export function hasGptSignature(sector: Uint8Array): boolean {
  return sector.length >= SIGNATURE.length && new TextDecoder('latin1').decode(sector.subarray(0, SIGNATURE.length)) === SIGNATURE
}

/** Checks the signature, revision, size and CRC; where the fields point is the reader's to check. */
export function parseGptHeader(sector: Uint8Array, origin: Origin): GptHeader {
  if (!hasGptSignature(sector)) throw corrupt(origin, 'no "EFI PART" signature', 'signature')
  const view = new DataView(sector.buffer, sector.byteOffset, sector.byteLength)
  const revision = view.getUint32(8, true)
  // Minor revisions only add fields past the ones read here; a new major one may move them.
  if (revision >>> 16 !== REVISION_1_0 >>> 16) throw corrupt(origin, `unsupported revision 0x${revision.toString(16)}`, 'revision')
  const headerSize = view.getUint32(12, true)
  if (headerSize < GPT_HEADER_SIZE || headerSize > sector.length) {
    throw corrupt(origin, `header size ${headerSize} is outside ${GPT_HEADER_SIZE}..${sector.length}`, 'headerSize')
  }
  const stored = view.getUint32(CRC_OFFSET, true)
  const computed = headerCrc(sector.subarray(0, headerSize))
  if (stored !== computed) throw corrupt(origin, `header CRC32 is ${hex32(stored)}, computed ${hex32(computed)}`, 'headerCrc32')
  return {
    myLba: readSafeU64(view, 24, origin, 'myLba'),
    alternateLba: readSafeU64(view, 32, origin, 'alternateLba'),
    firstUsableLba: readSafeU64(view, 40, origin, 'firstUsableLba'),
    lastUsableLba: readSafeU64(view, 48, origin, 'lastUsableLba'),
    diskGuid: readGuid(sector, 56),
    entriesLba: readSafeU64(view, 72, origin, 'entriesLba'),
    entryCount: view.getUint32(80, true),
    entrySize: view.getUint32(84, true),
    entriesCrc32: view.getUint32(88, true),
  }
}

/** A whole sector holding the header, its CRC computed. */
export function serializeGptHeader(header: GptHeader, sectorSize: number): Uint8Array {
  const sector = new Uint8Array(sectorSize)
  const view = new DataView(sector.buffer)
  sector.set(new TextEncoder().encode(SIGNATURE), 0)
  view.setUint32(8, REVISION_1_0, true)
  view.setUint32(12, GPT_HEADER_SIZE, true)
  writeU64(view, 24, header.myLba)
  writeU64(view, 32, header.alternateLba)
  writeU64(view, 40, header.firstUsableLba)
  writeU64(view, 48, header.lastUsableLba)
  writeGuid(sector, 56, header.diskGuid)
  writeU64(view, 72, header.entriesLba)
  view.setUint32(80, header.entryCount, true)
  view.setUint32(84, header.entrySize, true)
  view.setUint32(88, header.entriesCrc32, true)
  view.setUint32(CRC_OFFSET, headerCrc(sector.subarray(0, GPT_HEADER_SIZE)), true)
  return sector
}

/** The CRC32 of the header's bytes with its own CRC field taken as zero. */
function headerCrc(header: Uint8Array): number {
  const copy = header.slice()
  new DataView(copy.buffer).setUint32(CRC_OFFSET, 0, true)
  return crc32(copy)
}

export function hex32(value: number): string {
  return '0x' + value.toString(16).padStart(8, '0')
}
