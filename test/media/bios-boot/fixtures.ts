/**
 * Shared helpers of the BIOS boot tests: the bundled boot code, the stand-in bootmgr, media
 * made by the real partition and FAT32 writers, and the peers that must be installed.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { planLayout, writePartitionTable, type MbrLayout, type MbrPartition } from '../../../src/main/disk/partition'
import { planFat32, writeFat32, type Fat32Plan, type FatSourceEntry } from '../../../src/main/fs/fat32'
import { loadBiosBootCode, writeBiosLoader, type BiosBootCode } from '../../../src/main/media/bios-boot'
import { run } from '../../disk/partition/peers'
import { missingTool } from '../../support/tools'

export const MiB = 1024 * 1024
export const RESOURCES = resolve(__dirname, '../../../resources/bios-boot')
/** The smallest usb-bios-uefi disk is 261 MiB; images are sparse, so this costs little. */
export const DISK_BYTES = 300 * MiB
export const T0 = new Date(Date.UTC(2024, 2, 15, 13, 45, 31))
/** Near a real bootmgr's size (about 400 KiB), so the whole-file load is exercised. */
export const STANDIN_SIZE = 0x70000
export const STANDIN_TAIL = 'TAIL-LOADED'

export function bundledCode(): Promise<BiosBootCode> {
  return loadBiosBootCode(RESOURCES)
}

export function missingAssembler(): boolean {
  return missingTool('as', 'binutils') || missingTool('ld', 'binutils')
}

/** standin-bootmgr.S assembled and padded to STANDIN_SIZE, ending with STANDIN_TAIL. */
export function assembleStandin(workDir: string): Uint8Array {
  const object = join(workDir, 'standin.o')
  const binary = join(workDir, 'standin.bin')
  run('as', ['--32', '--defsym', `STANDIN_SIZE=${STANDIN_SIZE}`, '-o', object, join(__dirname, 'standin-bootmgr.S')])
  run('ld', ['-m', 'elf_i386', '-Ttext=0', '--oformat=binary', '-o', binary, object])
  const code = readFileSync(binary)
  const file = new Uint8Array(STANDIN_SIZE)
  file.set(code)
  file.set(new TextEncoder().encode(STANDIN_TAIL), STANDIN_SIZE - 16)
  return file
}

export interface Medium {
  image: string
  layout: MbrLayout
  partition: MbrPartition
  /** Byte offset of the FAT32 volume, for mtools and fsck. */
  offset: number
  plan: Fat32Plan
}

/**
 * A usb-bios-uefi medium as the media builder makes it: MBR with GRUB's boot code, the
 * loader in the gap, then a FAT32 volume holding `files` (path → contents).
 */
export async function buildMedium(image: string, code: BiosBootCode | undefined, files: Record<string, Uint8Array>): Promise<Medium> {
  const layout = planLayout('usb-bios-uefi', DISK_BYTES) as MbrLayout
  const [partition] = layout.partitions
  const offset = partition.firstLba * layout.sectorSize
  const entries: FatSourceEntry[] = Object.entries(files).map(([path, data]) => ({ path, kind: 'file', size: data.length, modified: T0, open: () => [data] }))
  const plan = planFat32({ sizeBytes: partition.sectorCount * layout.sectorSize, hiddenSectors: partition.firstLba, label: 'WINSETUP', now: T0, entries })
  const target = await FileTarget.create(image, DISK_BYTES)
  try {
    await writePartitionTable(target, layout, { bootCode: code?.mbrCode })
    if (code) await writeBiosLoader(target, layout, code)
    await writeFat32(target, offset, plan)
  } finally {
    await target.close()
  }
  return { image, layout, partition, offset, plan }
}
