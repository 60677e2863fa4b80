import type { PartitionRole } from './layout'

/** GPT partition type GUIDs, as Microsoft and the UEFI specification define them. */
export const GPT_TYPE = {
  esp: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
  msr: 'E3C9E316-0B5C-4DB8-817D-F92DF00215AE',
  basicData: 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7',
  windowsRecovery: 'DE94BBA4-06D1-4D40-A16A-BFD50179D6AC',
} as const

/** MBR partition type bytes. */
export const MBR_TYPE = {
  /** NTFS or exFAT ("IFS"). */
  ntfs: 0x07,
  fat32Lba: 0x0c,
  windowsRecovery: 0x27,
} as const

/** GPT attribute bits: 0-2 defined by UEFI, 60-63 by Microsoft for its data partitions. */
export const GPT_ATTRIBUTE = {
  platformRequired: 1n << 0n,
  noDriveLetter: 1n << 63n,
} as const

const GPT_TYPE_LABELS: Record<string, string> = {
  [GPT_TYPE.esp]: 'EFI System',
  [GPT_TYPE.msr]: 'Microsoft reserved',
  [GPT_TYPE.basicData]: 'Basic data',
  [GPT_TYPE.windowsRecovery]: 'Windows RE',
  '5808C8AA-7E8F-42E0-85D2-E1E90434CFB3': 'LDM metadata',
  'AF9B60A0-1431-4F62-BC68-3311714A69AD': 'LDM data',
  'E75CAF8F-F680-4CEE-AFA3-B001E56EFC2D': 'Storage Spaces',
  '21686148-6449-6E6F-744E-656564454649': 'BIOS boot',
  '0FC63DAF-8483-4772-8E79-3D69D8477DE4': 'Linux filesystem',
  '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F': 'Linux swap',
  'E6D6D379-F507-44C2-A23C-238F2A3DF928': 'Linux LVM',
  '48465300-0000-11AA-AA11-00306543ECAC': 'Apple HFS+',
  '7C3457EF-0000-11AA-AA11-00306543ECAC': 'Apple APFS',
}

const MBR_TYPE_LABELS: Record<number, string> = {
  0x01: 'FAT12',
  0x04: 'FAT16 (<32 MB)',
  0x05: 'Extended',
  0x06: 'FAT16',
  [MBR_TYPE.ntfs]: 'NTFS/exFAT',
  0x0b: 'FAT32',
  [MBR_TYPE.fat32Lba]: 'FAT32 (LBA)',
  0x0e: 'FAT16 (LBA)',
  0x0f: 'Extended (LBA)',
  0x17: 'Hidden NTFS',
  [MBR_TYPE.windowsRecovery]: 'Windows RE',
  0x42: 'Windows dynamic (LDM)',
  0x82: 'Linux swap',
  0x83: 'Linux',
  0x85: 'Linux extended',
  0x8e: 'Linux LVM',
  0xee: 'GPT protective',
  0xef: 'EFI System',
}

const MICROSOFT_DATA_ATTRIBUTES: [bigint, string][] = [
  [60n, 'read-only'],
  [61n, 'shadow copy'],
  [62n, 'hidden'],
  [63n, 'no drive letter'],
]

const UEFI_ATTRIBUTES: [bigint, string][] = [
  [0n, 'required'],
  [1n, 'no block I/O'],
  [2n, 'legacy BIOS bootable'],
]

export function gptTypeLabel(typeGuid: string): string {
  return GPT_TYPE_LABELS[typeGuid] ?? `Unknown (${typeGuid})`
}

export function mbrTypeLabel(type: number): string {
  return MBR_TYPE_LABELS[type] ?? `Type 0x${type.toString(16).padStart(2, '0')}`
}

/** Each set attribute bit in words; bits 48-63 mean something only for the type that defines them. */
export function gptAttributeFlags(typeGuid: string, attributes: bigint): string[] {
  const named = new Map(UEFI_ATTRIBUTES)
  if (typeGuid === GPT_TYPE.basicData || typeGuid === GPT_TYPE.windowsRecovery) {
    for (const [bit, name] of MICROSOFT_DATA_ATTRIBUTES) named.set(bit, name)
  }
  const flags: string[] = []
  for (let bit = 0n; bit < 64n; bit++) {
    if (attributes & (1n << bit)) flags.push(named.get(bit) ?? `bit ${bit}`)
  }
  return flags
}

/** A role only where the type alone says it; a basic-data or NTFS partition could be anything. */
export function roleOfGptType(typeGuid: string): PartitionRole | undefined {
  if (typeGuid === GPT_TYPE.esp) return 'esp'
  if (typeGuid === GPT_TYPE.msr) return 'msr'
  if (typeGuid === GPT_TYPE.windowsRecovery) return 'recovery'
  return undefined
}

export function roleOfMbrType(type: number): PartitionRole | undefined {
  if (type === 0xef) return 'esp'
  if (type === MBR_TYPE.windowsRecovery) return 'recovery'
  return undefined
}
