/**
 * A directory's bytes: each file as its long-name entries (last part first) followed by its
 * short entry, then zeros, whose first byte marks the end of the directory.
 */
import {
  DELETED_ENTRY,
  END_OF_DIRECTORY,
  ENTRY_SIZE,
  LONG_NAME_UNITS,
  decodeLongEntry,
  decodeShortEntry,
  encodeLongEntry,
  encodeShortEntry,
  isLongEntry,
  shortNameChecksum,
  type ShortEntry,
} from './dir-entry'

/** One file, directory or label: its short entry and, when it needs one, its long name. */
export interface DirectoryRecord {
  entry: ShortEntry
  longName: string | undefined
}

/** A record read back, with where its short entry is in the directory. */
export interface DecodedRecord extends DirectoryRecord {
  offset: number
}

/** The VFAT limit: 20 entries of 13 units hold the 255 of the longest name. */
const MAX_LONG_ENTRIES = 20

export function entriesFor(longName: string | undefined): number {
  return 1 + (longName === undefined ? 0 : Math.ceil(longName.length / LONG_NAME_UNITS))
}

/** The directory's clusters, `byteLength` bytes, records in order and zeros after. */
export function encodeDirectory(records: Iterable<DirectoryRecord>, byteLength: number): Uint8Array {
  const bytes = new Uint8Array(byteLength)
  let offset = 0
  for (const { entry, longName } of records) {
    if (longName !== undefined) {
      const count = Math.ceil(longName.length / LONG_NAME_UNITS)
      // The name ends with one 0x0000 when it does not fill its last entry, padded with 0xFFFF.
      const units = new Uint16Array(count * LONG_NAME_UNITS).fill(0xffff)
      for (let i = 0; i < longName.length; i++) units[i] = longName.charCodeAt(i)
      if (longName.length < units.length) units[longName.length] = 0
      const checksum = shortNameChecksum(entry.name)
      for (let order = count; order >= 1; order--) {
        encodeLongEntry(bytes, offset, { order, last: order === count, checksum, units: units.subarray((order - 1) * LONG_NAME_UNITS, order * LONG_NAME_UNITS) })
        offset += ENTRY_SIZE
      }
    }
    encodeShortEntry(bytes, offset, entry)
    offset += ENTRY_SIZE
  }
  return bytes
}

interface PendingLongName {
  checksum: number
  units: Uint16Array
  /** Order of the entry expected next; 0 once the name is complete. */
  expected: number
}

/**
 * Every live short entry, with its long name when a well-formed long-name run precedes it.
 * A broken run (wrong order or checksum) is ignored and the short name stands, as Windows does.
 */
export function decodeDirectory(bytes: Uint8Array): DecodedRecord[] {
  const records: DecodedRecord[] = []
  let pending: PendingLongName | undefined
  for (let offset = 0; offset + ENTRY_SIZE <= bytes.length; offset += ENTRY_SIZE) {
    const first = bytes[offset]!
    if (first === END_OF_DIRECTORY) break
    if (first === DELETED_ENTRY) {
      pending = undefined
      continue
    }
    if (isLongEntry(bytes, offset)) {
      const part = decodeLongEntry(bytes, offset)
      if (part.last) {
        const valid = part.order >= 1 && part.order <= MAX_LONG_ENTRIES
        pending = valid ? { checksum: part.checksum, units: new Uint16Array(part.order * LONG_NAME_UNITS), expected: part.order } : undefined
      }
      if (pending && part.order === pending.expected && part.checksum === pending.checksum) {
        pending.units.set(part.units, (part.order - 1) * LONG_NAME_UNITS)
        pending.expected--
      } else pending = undefined
      continue
    }
    const entry = decodeShortEntry(bytes, offset)
    const complete = pending !== undefined && pending.expected === 0 && pending.checksum === shortNameChecksum(entry.name)
    records.push({ entry, longName: complete ? unitsToName(pending!.units) : undefined, offset })
    pending = undefined
  }
  return records
}

function unitsToName(units: Uint16Array): string | undefined {
  const end = units.indexOf(0)
  return end === 0 ? undefined : String.fromCharCode(...units.subarray(0, end < 0 ? units.length : end))
}
