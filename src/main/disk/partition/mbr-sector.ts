import { BEYOND_CHS, PROTECTIVE_BEYOND_CHS, encodeChs } from './chs'

/**
 * The MBR sector (always the first 512 bytes, whatever the sector size): boot code, the
 * disk signature, four 16-byte partition entries and the 0x55AA boot signature.
 * Parsed and serialised here only.
 */
export const MBR_SIZE = 512
export const BOOT_CODE_SIZE = 440
export const MBR_ENTRY_COUNT = 4
export const MBR_ENTRIES_OFFSET = 446
export const MBR_ENTRY_SIZE = 16
export const GPT_PROTECTIVE_TYPE = 0xee
export const ACTIVE_STATUS = 0x80
/** The 32-bit LBA fields' reach; Windows also keeps every MBR partition within it. */
export const MBR_MAX_SECTORS = 2 ** 32

const DISK_SIGNATURE_OFFSET = 440
const BOOT_SIGNATURE_OFFSET = 510

export interface MbrEntry {
  status: number
  type: number
  firstLba: number
  sectorCount: number
}

export interface MbrSector {
  /** Bytes 510-511 are 55 AA: without them the sector holds no partition table. */
  hasBootSignature: boolean
  diskSignature: number
  /** Always four, in slot order; an unused slot has type 0. */
  entries: MbrEntry[]
}

export function parseMbrSector(bytes: Uint8Array): MbrSector {
  const view = new DataView(bytes.buffer, bytes.byteOffset, MBR_SIZE)
  const entries = Array.from({ length: MBR_ENTRY_COUNT }, (_, i) => {
    const at = MBR_ENTRIES_OFFSET + i * MBR_ENTRY_SIZE
    return {
      status: view.getUint8(at),
      type: view.getUint8(at + 4),
      firstLba: view.getUint32(at + 8, true),
      sectorCount: view.getUint32(at + 12, true),
    }
  })
  return {
    hasBootSignature: view.getUint16(BOOT_SIGNATURE_OFFSET, true) === 0xaa55,
    diskSignature: view.getUint32(DISK_SIGNATURE_OFFSET, true),
    entries,
  }
}

/**
 * The 512-byte sector. Entries are given in slot order; an entry of type 0 (and any slot
 * past the given ones) stays all zero. Values must already fit the 32-bit fields. Boot
 * code, when given, is copied to the start; otherwise bytes 0-439 stay zero.
 */
export function serializeMbrSector(sector: { diskSignature: number; entries: MbrEntry[]; bootCode?: Uint8Array }): Uint8Array {
  const bytes = new Uint8Array(MBR_SIZE)
  const view = new DataView(bytes.buffer)
  if (sector.bootCode) bytes.set(sector.bootCode, 0)
  view.setUint32(DISK_SIGNATURE_OFFSET, sector.diskSignature, true)
  sector.entries.forEach((entry, i) => {
    if (entry.type === 0) return
    const at = MBR_ENTRIES_OFFSET + i * MBR_ENTRY_SIZE
    const beyond = entry.type === GPT_PROTECTIVE_TYPE ? PROTECTIVE_BEYOND_CHS : BEYOND_CHS
    view.setUint8(at, entry.status)
    bytes.set(encodeChs(entry.firstLba, beyond), at + 1)
    view.setUint8(at + 4, entry.type)
    bytes.set(encodeChs(entry.firstLba + entry.sectorCount - 1, beyond), at + 5)
    view.setUint32(at + 8, entry.firstLba, true)
    view.setUint32(at + 12, entry.sectorCount, true)
  })
  view.setUint16(BOOT_SIGNATURE_OFFSET, 0xaa55, true)
  return bytes
}
