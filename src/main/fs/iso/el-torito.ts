import type { StructureView } from './structure-view'

export type BootPlatform = 'bios' | 'uefi' | 'powerpc' | 'mac' | 'other'
export type BootEmulation = 'none' | 'floppy-1.2M' | 'floppy-1.44M' | 'floppy-2.88M' | 'hard-disk'

/** One boot image of an El Torito boot catalog, as recorded. */
export interface CatalogEntry {
  readonly platform: BootPlatform
  readonly platformId: number
  readonly bootable: boolean
  readonly emulation: BootEmulation
  readonly loadSegment: number
  readonly systemType: number
  /** 512-byte sectors the firmware loads (no emulation); often a token 1 or 4 for UEFI images. */
  readonly sectorCount: number
  /** 2048-byte sector where the image starts. */
  readonly loadRba: number
}

const ENTRY_BYTES = 32
const PLATFORMS: Record<number, BootPlatform> = { 0x00: 'bios', 0x01: 'powerpc', 0x02: 'mac', 0xef: 'uefi' }
const EMULATIONS: readonly BootEmulation[] = ['none', 'floppy-1.2M', 'floppy-1.44M', 'floppy-2.88M', 'hard-disk']
const BOOTABLE = 0x88
const MORE_HEADERS = 0x90
const FINAL_HEADER = 0x91
const EXTENSION = 0x44
const EXTENSION_FOLLOWS = 0x20

/** Size of the disk an emulated image stands for; for no emulation and hard disks, unknown here. */
export const EMULATED_BYTES: Partial<Record<BootEmulation, number>> = {
  'floppy-1.2M': 1_228_800,
  'floppy-1.44M': 1_474_560,
  'floppy-2.88M': 2_949_120,
}

/**
 * The boot catalog (El Torito 1.0, section 2): a validation entry, the initial/default entry,
 * then section headers each followed by their entries (Windows media: BIOS default entry,
 * one UEFI section).
 */
export function parseBootCatalog(view: StructureView): CatalogEntry[] {
  const validation = view.sub(0, ENTRY_BYTES, 'El Torito validation entry')
  if (validation.u8(0) !== 1 || validation.u8(30) !== 0x55 || validation.u8(31) !== 0xaa) validation.fail('it lacks its header ID 1 and key bytes 55 AA')
  let sum = 0
  for (let at = 0; at < ENTRY_BYTES; at += 2) sum += validation.u16(at)
  if ((sum & 0xffff) !== 0) validation.fail(`its words add up to ${sum & 0xffff}, not 0`)
  const entries = [parseEntry(view.sub(ENTRY_BYTES, ENTRY_BYTES, 'El Torito initial entry'), validation.u8(1))]
  let at = 2 * ENTRY_BYTES
  while (at + ENTRY_BYTES <= view.length) {
    const header = view.sub(at, ENTRY_BYTES, 'El Torito section header')
    const indicator = header.u8(0)
    if (indicator !== MORE_HEADERS && indicator !== FINAL_HEADER) break
    at += ENTRY_BYTES
    for (let count = header.u16(2); count > 0; count--) {
      const entry = view.sub(at, ENTRY_BYTES, 'El Torito section entry')
      entries.push(parseEntry(entry, header.u8(1)))
      at += ENTRY_BYTES
      for (let flags = entry.u8(1); flags & EXTENSION_FOLLOWS; at += ENTRY_BYTES) {
        const extension = view.sub(at, ENTRY_BYTES, 'El Torito section entry extension')
        if (extension.u8(0) !== EXTENSION) extension.fail(`expected an extension (0x44), found 0x${extension.u8(0).toString(16)}`)
        flags = extension.u8(1)
      }
    }
    if (indicator === FINAL_HEADER) break
  }
  return entries
}

function parseEntry(entry: StructureView, platformId: number): CatalogEntry {
  const indicator = entry.u8(0)
  if (indicator !== BOOTABLE && indicator !== 0) entry.fail(`boot indicator is 0x${indicator.toString(16)}, neither 0x88 nor 0`)
  const media = entry.u8(1) & 0x0f
  const emulation = EMULATIONS[media]
  if (emulation === undefined) entry.fail(`boot media type ${media} is not defined`, 1)
  return {
    platform: PLATFORMS[platformId] ?? 'other',
    platformId,
    bootable: indicator === BOOTABLE,
    emulation,
    loadSegment: entry.u16(2),
    systemType: entry.u8(4),
    sectorCount: entry.u16(6),
    loadRba: entry.u32(8),
  }
}
