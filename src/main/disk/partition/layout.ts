import type { PartitionTableType } from '../../../shared/drives'

/**
 * A disk's partition layout: what planLayout proposes, what writePartitionTable writes and
 * what readPartitionTable finds. Plain data: a caller may adjust GUIDs or the MBR signature
 * of a planned layout before writing it.
 *
 * LBAs and sector counts are plain numbers (a 2^53-byte limit, far beyond any disk);
 * GPT attributes are 64-bit, so they are a bigint.
 */
export type DiskLayout = GptLayout | MbrLayout

export type LayoutKind = 'uefi' | 'bios' | 'usb-uefi' | 'usb-bios-uefi'
export type PartitionRole = 'esp' | 'msr' | 'windows' | 'recovery' | 'system' | 'data'
export type FileSystemKind = 'fat32' | 'ntfs' | 'none'
export type SectorSize = 512 | 4096

export const SECTOR_SIZES: readonly SectorSize[] = [512, 4096]

interface LayoutCommon {
  table: PartitionTableType
  /** Logical sector size: the unit of every LBA in the layout. */
  sectorSize: SectorSize
  /** The size of the disk the layout is for; the writer refuses a target of another size. */
  diskSizeBytes: number
  /** Set by planLayout: which standard layout this is. */
  kind?: LayoutKind
}

export interface PartitionCommon {
  /** Slot in the table, from 1: the GPT entry number, or the MBR entry (1 to 4). */
  index: number
  firstLba: number
  sectorCount: number
  /** Always set by planLayout; on a table read from a disk, only where the type says it unambiguously. */
  role?: PartitionRole
  /** The file system the next step must create; set by planLayout only. */
  fileSystem?: FileSystemKind
}

export interface GptLayout extends LayoutCommon {
  table: 'gpt'
  diskGuid: string
  firstUsableLba: number
  lastUsableLba: number
  partitions: GptPartition[]
  /** Set by readPartitionTable when one of the two GPT copies is damaged, missing or misplaced. */
  damage?: GptDamage
}

export interface GptPartition extends PartitionCommon {
  /** Canonical upper-case GUID text, e.g. C12A7328-F81F-11D2-BA4B-00A0C93EC93B. */
  typeGuid: string
  uniqueGuid: string
  /** At most 36 UTF-16 code units. */
  name: string
  attributes: bigint
}

export interface MbrLayout extends LayoutCommon {
  table: 'mbr'
  /** The 32-bit disk signature at byte 440 (Windows identifies the disk and its volumes by it). */
  diskSignature: number
  partitions: MbrPartition[]
}

export interface MbrPartition extends PartitionCommon {
  /** The partition type byte, e.g. 0x07 (NTFS), 0x0C (FAT32 LBA), 0x27 (Windows RE). */
  type: number
  /** Status byte 0x80: the partition BIOS boot code starts. */
  active: boolean
}

export interface GptDamage {
  /** Which copy the layout was read from. */
  readFrom: 'primary' | 'backup'
  problems: TableProblem[]
}

export interface TableProblem {
  /** The on-disk structure, e.g. "primary GPT header", "backup GPT entry array". */
  structure: string
  /** Byte offset of that structure on the disk. */
  offset: number
  message: string
}

export function partitionLastLba(partition: PartitionCommon): number {
  return partition.firstLba + partition.sectorCount - 1
}
