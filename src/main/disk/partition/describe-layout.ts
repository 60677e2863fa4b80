import type { DiskLayout, FileSystemKind, PartitionCommon, PartitionRole } from './layout'
import { gptAttributeFlags, gptTypeLabel, mbrTypeLabel } from './partition-types'

/** One partition as people read it: what the UI lists under "what will be erased" or a drive's layout. Plain JSON. */
export interface LayoutRow {
  index: number
  /** The GPT name, else what the role calls it, else empty. */
  name: string
  role: PartitionRole | null
  startBytes: number
  sizeBytes: number
  /** e.g. "EFI System", "Microsoft reserved", "Basic data", "Windows RE", "FAT32 (LBA)". */
  typeLabel: string
  /** The type as the table stores it: a GUID, or the MBR byte as 0x0C. */
  typeCode: string
  fileSystem: FileSystemKind | null
  /** e.g. "active", "required", "no drive letter". */
  flags: string[]
}

const ROLE_NAMES: Record<PartitionRole, string> = {
  esp: 'EFI system partition',
  msr: 'Microsoft reserved partition',
  windows: 'Windows',
  recovery: 'Recovery',
  system: 'System Reserved',
  data: 'Data',
}

/** The layout's partitions in disk order. */
export function describeLayout(layout: DiskLayout): LayoutRow[] {
  const rows: LayoutRow[] =
    layout.table === 'gpt'
      ? layout.partitions.map((p) => ({
          ...common(p, layout.sectorSize),
          name: p.name || (p.role ? ROLE_NAMES[p.role] : ''),
          typeLabel: gptTypeLabel(p.typeGuid),
          typeCode: p.typeGuid,
          flags: gptAttributeFlags(p.typeGuid, p.attributes),
        }))
      : layout.partitions.map((p) => ({
          ...common(p, layout.sectorSize),
          name: p.role ? ROLE_NAMES[p.role] : '',
          typeLabel: mbrTypeLabel(p.type),
          typeCode: '0x' + p.type.toString(16).padStart(2, '0').toUpperCase(),
          flags: p.active ? ['active'] : [],
        }))
  return rows.sort((a, b) => a.startBytes - b.startBytes)
}

function common(p: PartitionCommon, sectorSize: number): Pick<LayoutRow, 'index' | 'role' | 'startBytes' | 'sizeBytes' | 'fileSystem'> {
  return {
    index: p.index,
    role: p.role ?? null,
    startBytes: p.firstLba * sectorSize,
    sizeBytes: p.sectorCount * sectorSize,
    fileSystem: p.fileSystem ?? null,
  }
}
