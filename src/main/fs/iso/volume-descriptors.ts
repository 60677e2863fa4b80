import { parseDirectoryRecord, type DirectoryRecord } from './directory-record'
import { unsupported, type StructureView } from './structure-view'

/** Volume descriptors start at sector 16, after the system area (ECMA-119 6.2). */
export const FIRST_DESCRIPTOR_SECTOR = 16

/**
 * What one 2048-byte sector of the volume recognition area holds (ECMA-119 8, ECMA-167 2/9),
 * or null where the sequence has ended.
 */
export type VolumeDescriptor = TreeDescriptor | BootRecord | { readonly kind: 'terminator' }
  | { readonly kind: 'udf' }
  | { readonly kind: 'other' }

/** A primary or Joliet supplementary volume descriptor: a directory tree. */
export interface TreeDescriptor {
  readonly kind: 'primary' | 'joliet'
  readonly volumeIdentifier: string
  /** The volume space size: how many 2048-byte blocks the whole image has. */
  readonly volumeBlocks: number
  readonly root: DirectoryRecord
}

/** The El Torito boot record: where the boot catalog is. */
export interface BootRecord {
  readonly kind: 'boot-record'
  readonly catalogSector: number
}

const EL_TORITO = 'EL TORITO SPECIFICATION'
const JOLIET_LEVELS = [0x40, 0x43, 0x45]
const RECOGNITION_IDS = ['BEA01', 'TEA01', 'BOOT2', 'CDW02']
const UDF_IDS = ['NSR02', 'NSR03']

export function parseVolumeDescriptor(view: StructureView): VolumeDescriptor | null {
  const id = String.fromCharCode(...view.slice(1, 5))
  if (UDF_IDS.includes(id)) return { kind: 'udf' }
  if (RECOGNITION_IDS.includes(id)) return { kind: 'other' }
  if (id !== 'CD001') return null
  const type = view.u8(0)
  if (type === 255) return { kind: 'terminator' }
  if (type === 0) {
    const system = String.fromCharCode(...view.slice(7, 32)).replace(/\0+$/, '')
    return system === EL_TORITO ? { kind: 'boot-record', catalogSector: view.u32(71) } : { kind: 'other' }
  }
  const joliet = type === 2 && view.u8(88) === 0x25 && view.u8(89) === 0x2f && JOLIET_LEVELS.includes(view.u8(90))
  if (type !== 1 && !joliet) return { kind: 'other' }
  const blockSize = view.u16(128)
  if (blockSize !== 2048) throw unsupported(view.origin, 'ISO 9660 volume descriptor', `a logical block size of ${blockSize}`, 128)
  const label = view.slice(40, 32)
  return {
    kind: joliet ? 'joliet' : 'primary',
    volumeIdentifier: (joliet ? decodeUcs2(label) : String.fromCharCode(...label)).replace(/[\s\0]+$/, ''),
    volumeBlocks: view.u32(80),
    root: parseDirectoryRecord(view.sub(156, 34, 'ISO 9660 root directory record')),
  }
}

/** Joliet's UCS-2, big-endian (an odd trailing byte is ignored, as in volume identifiers). */
export function decodeUcs2(bytes: Uint8Array): string {
  const units: number[] = []
  for (let i = 0; i + 1 < bytes.length; i += 2) units.push((bytes[i] << 8) | bytes[i + 1])
  return String.fromCharCode(...units)
}
