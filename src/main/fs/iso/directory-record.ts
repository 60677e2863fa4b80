import type { StructureView } from './structure-view'

export const SECTOR_BYTES = 2048
const FIXED_BYTES = 33

/** File flags of a directory record (ECMA-119 9.1.6). */
export const RecordFlag = {
  Directory: 0x02,
  Associated: 0x04,
  MultiExtent: 0x80,
} as const

/** A directory record (ECMA-119 9.1), the same structure in the primary and Joliet trees. */
export interface DirectoryRecord {
  /** First sector of the data, past any extended attribute record. */
  readonly extent: number
  readonly dataLength: number
  readonly recorded: Date | null
  readonly flags: number
  readonly interleaved: boolean
  readonly identifier: Uint8Array
  /** The System Use field, where Rock Ridge keeps its entries. */
  readonly systemUse: StructureView
  readonly view: StructureView
}

/** One record; `view` covers exactly its bytes. */
export function parseDirectoryRecord(view: StructureView): DirectoryRecord {
  const identifierLength = view.u8(32)
  if (FIXED_BYTES + identifierLength > view.length) view.fail(`its ${identifierLength}-byte name does not fit in its ${view.length} bytes`)
  const systemUseAt = FIXED_BYTES + identifierLength + (identifierLength % 2 === 0 ? 1 : 0)
  return {
    extent: view.u32(2) + view.u8(1),
    dataLength: view.u32(10),
    recorded: parseRecordingDate(view, 18),
    flags: view.u8(25),
    interleaved: view.u8(26) !== 0 || view.u8(27) !== 0,
    identifier: view.slice(FIXED_BYTES, identifierLength),
    systemUse: view.sub(Math.min(systemUseAt, view.length), Math.max(0, view.length - systemUseAt)),
    view,
  }
}

/**
 * The records of a directory's data. A record never crosses a sector boundary: a zero length
 * byte means the rest of the sector is padding (ECMA-119 6.8.1.1).
 */
export function* directoryRecords(data: StructureView): Generator<StructureView> {
  for (let at = 0; at < data.length; ) {
    const length = data.u8(at)
    if (length === 0) {
      at = (Math.floor(at / SECTOR_BYTES) + 1) * SECTOR_BYTES
      continue
    }
    if (length < FIXED_BYTES + 1) data.fail(`a record claims ${length} bytes, fewer than any record has`, at)
    if ((at % SECTOR_BYTES) + length > SECTOR_BYTES) data.fail(`a record of ${length} bytes crosses a sector boundary`, at)
    if (at + length > data.length) data.fail(`a record of ${length} bytes runs past the end of the directory`, at)
    yield data.sub(at, length, 'ISO 9660 directory record')
    at += length
  }
}

/** The 7-byte recording date of a record (ECMA-119 9.1.5); an unset or impossible one is null. */
function parseRecordingDate(view: StructureView, at: number): Date | null {
  const [years, month, day, hour, minute, second, zone] = view.slice(at, 7)
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null
  const quarters = zone > 127 ? zone - 256 : zone
  return new Date(Date.UTC(1900 + years, month - 1, day, hour, minute - quarters * 15, second))
}
