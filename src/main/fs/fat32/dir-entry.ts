/**
 * The two 32-byte directory entries: the short (8.3) entry, which is the file, and the
 * VFAT long-name entry, 13 UTF-16 code units of the name per entry.
 */
import { readLatin1, writeLatin1 } from './latin1'
import type { ShortNameField } from './short-names'
import { decodeFatTimestamp, encodeFatTimestamp } from './timestamps'

export const ENTRY_SIZE = 32
const ATTR_READ_ONLY = 0x01
const ATTR_HIDDEN = 0x02
const ATTR_SYSTEM = 0x04
export const ATTR_VOLUME_LABEL = 0x08
export const ATTR_DIRECTORY = 0x10
export const ATTR_ARCHIVE = 0x20
const ATTR_LONG_NAME = ATTR_READ_ONLY | ATTR_HIDDEN | ATTR_SYSTEM | ATTR_VOLUME_LABEL
/** First name byte: no entry here or after. */
export const END_OF_DIRECTORY = 0x00
export const DELETED_ENTRY = 0xe5
export const LONG_NAME_UNITS = 13
const LAST_LONG_ENTRY = 0x40
const LONG_NAME_UNIT_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30]

export interface ShortEntry {
  name: ShortNameField
  attributes: number
  caseFlags: number
  created: Date
  modified: Date
  /** Date only: FAT keeps no access time of day. */
  accessed: Date
  firstCluster: number
  size: number
}

export function encodeShortEntry(dest: Uint8Array, offset: number, e: ShortEntry): void {
  const view = new DataView(dest.buffer, dest.byteOffset + offset, ENTRY_SIZE)
  const created = encodeFatTimestamp(e.created)
  const modified = encodeFatTimestamp(e.modified)
  writeLatin1(dest, offset, e.name)
  view.setUint8(11, e.attributes)
  view.setUint8(12, e.caseFlags)
  view.setUint8(13, created.tenMs)
  view.setUint16(14, created.time, true)
  view.setUint16(16, created.date, true)
  view.setUint16(18, encodeFatTimestamp(e.accessed).date, true)
  view.setUint16(20, e.firstCluster >>> 16, true)
  view.setUint16(22, modified.time, true)
  view.setUint16(24, modified.date, true)
  view.setUint16(26, e.firstCluster & 0xffff, true)
  view.setUint32(28, e.size, true)
}

export function decodeShortEntry(src: Uint8Array, offset: number): ShortEntry {
  const view = new DataView(src.buffer, src.byteOffset + offset, ENTRY_SIZE)
  return {
    name: readLatin1(src, offset, 11),
    attributes: view.getUint8(11),
    caseFlags: view.getUint8(12),
    created: decodeFatTimestamp({ date: view.getUint16(16, true), time: view.getUint16(14, true), tenMs: view.getUint8(13) }),
    modified: decodeFatTimestamp({ date: view.getUint16(24, true), time: view.getUint16(22, true), tenMs: 0 }),
    accessed: decodeFatTimestamp({ date: view.getUint16(18, true), time: 0, tenMs: 0 }),
    firstCluster: view.getUint16(20, true) * 0x10000 + view.getUint16(26, true),
    size: view.getUint32(28, true),
  }
}

export interface LongEntry {
  /** 1 for the entry holding the name's first 13 units, counting up; stored in reverse. */
  order: number
  last: boolean
  checksum: number
  units: Uint16Array
}

export function encodeLongEntry(dest: Uint8Array, offset: number, e: LongEntry): void {
  const view = new DataView(dest.buffer, dest.byteOffset + offset, ENTRY_SIZE)
  view.setUint8(0, e.order | (e.last ? LAST_LONG_ENTRY : 0))
  view.setUint8(11, ATTR_LONG_NAME)
  view.setUint8(12, 0)
  view.setUint8(13, e.checksum)
  view.setUint16(26, 0, true)
  LONG_NAME_UNIT_OFFSETS.forEach((at, i) => view.setUint16(at, e.units[i]!, true))
}

export function decodeLongEntry(src: Uint8Array, offset: number): LongEntry {
  const view = new DataView(src.buffer, src.byteOffset + offset, ENTRY_SIZE)
  const ordinal = view.getUint8(0)
  return {
    order: ordinal & ~LAST_LONG_ENTRY,
    last: (ordinal & LAST_LONG_ENTRY) !== 0,
    checksum: view.getUint8(13),
    units: Uint16Array.from(LONG_NAME_UNIT_OFFSETS, (at) => view.getUint16(at, true)),
  }
}

export function isLongEntry(src: Uint8Array, offset: number): boolean {
  return (src[offset + 11]! & 0x3f) === ATTR_LONG_NAME
}

/** The checksum of the short name that ties long-name entries to their short entry. */
export function shortNameChecksum(name: ShortNameField): number {
  let sum = 0
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + name.charCodeAt(i)) & 0xff
  return sum
}
