/**
 * What a partition layout must be for the GRUB chain to boot it: the rules are the same for
 * a layout about to be written and one read back from a disk, so they live here once.
 */
import type { ErrorCode } from '../../../shared/errors'
import { MBR_TYPE, type DiskLayout, type MbrPartition } from '../../disk/partition'
import { LOADER_LBA, SECTOR_SIZE } from './grub-images'

export interface LayoutProblem {
  code: Extract<ErrorCode, 'VALIDATION' | 'UNSUPPORTED'>
  message: string
}

/** FAT32 with CHS addressing: older tools' type for the same file system. */
const FAT32_CHS_TYPE = 0x0b
/** core.img's prefix is "(,msdos1)": GRUB looks for /bootmgr in the first MBR entry. */
const BOOT_PARTITION_INDEX = 1

export type BootPartition = { partition: MbrPartition } | { problem: LayoutProblem }

/** The active FAT32 partition GRUB boots from, or why the layout cannot boot. */
export function bootPartition(layout: DiskLayout, loaderBytes: number): BootPartition {
  const problem = (message: string, code: LayoutProblem['code'] = 'VALIDATION') => ({ problem: { code, message } })
  if (layout.table !== 'mbr') return problem('BIOS boot needs an MBR partition table, and this layout is GPT')
  // boot.img and diskboot.img count in 512-byte sectors; BIOSes rarely boot 4K-sector disks at all.
  if (layout.sectorSize !== SECTOR_SIZE) return problem(`BIOS boot needs 512-byte sectors, not ${layout.sectorSize}`, 'UNSUPPORTED')
  const active = layout.partitions.filter((p) => p.active)
  if (active.length !== 1) return problem(`BIOS boot needs exactly one active partition, and this layout has ${active.length}`)
  const [boot] = active
  if (boot.index !== BOOT_PARTITION_INDEX) return problem(`the active partition is entry ${boot.index}; the boot loader looks in entry ${BOOT_PARTITION_INDEX}`)
  if (boot.type !== MBR_TYPE.fat32Lba && boot.type !== FAT32_CHS_TYPE) {
    return problem(`the active partition has type 0x${boot.type.toString(16).padStart(2, '0')}, not FAT32 (0x0C or 0x0B)`)
  }
  const loaderEnd = LOADER_LBA + loaderBytes / SECTOR_SIZE
  const first = Math.min(...layout.partitions.map((p) => p.firstLba))
  if (first < loaderEnd) return problem(`the boot loader needs LBA ${LOADER_LBA}..${loaderEnd - 1} free, and a partition starts at LBA ${first}`)
  return { partition: boot }
}
