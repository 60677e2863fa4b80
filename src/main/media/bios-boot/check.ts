import { AppError } from '../../../shared/errors'
import type { ByteTarget } from '../../disk/byte-target'
import { readPartitionTable, type TableProblem } from '../../disk/partition'
import { openFat32 } from '../../fs/fat32'
import type { BiosBootCode } from './boot-code'
import { bootPartition } from './boot-layout'
import { LOADER_LBA, SECTOR_SIZE } from './grub-images'

export interface BiosBootReport {
  /** True when every link of the chain is in place: MBR code, loader, partition, /bootmgr. */
  bootable: boolean
  /** Each broken link, with the structure and the byte offset where it was found. */
  problems: TableProblem[]
}

/**
 * GRUB's ntldr (like Windows' own boot sector) loads bootmgr at 0x20000, in real-mode memory
 * that ends at 0xA0000 where video memory starts; a larger file cannot be bootmgr (a machine
 * whose BIOS keeps data just below 0xA0000 allows a little less still).
 */
export const MAX_BOOTMGR_BYTES = 0xa0000 - 0x20000
export const BOOTMGR_PATH = '/bootmgr'

/**
 * Whether a BIOS would start /bootmgr from this target through the given boot code: reads
 * only, and reports every problem it finds rather than stopping at the first, so a
 * technician sees all that is wrong with a medium. A medium made with another GRUB build
 * reports its boot code as different, because only bytes known to boot are vouched for.
 */
export async function checkBiosBoot(target: ByteTarget, code: BiosBootCode): Promise<BiosBootReport> {
  const problems: TableProblem[] = []
  const layout = await probe(problems, { structure: 'partition table', offset: 0 }, () => readPartitionTable(target))
  if (layout === null) problems.push({ structure: 'partition table', offset: 0, message: `${target.name} has no partition table` })
  const boot = layout ? bootPartition(layout, code.loader.length) : undefined
  if (boot && 'problem' in boot) problems.push({ structure: 'partition table', offset: 0, message: boot.problem.message })

  await compare(target, code.mbrCode, { structure: 'MBR boot code', offset: 0 }, `GRUB ${code.grubVersion}'s boot.img`, problems)
  await compare(target, code.loader, { structure: 'boot loader', offset: LOADER_LBA * SECTOR_SIZE }, `GRUB ${code.grubVersion}'s core.img`, problems)

  if (boot && 'partition' in boot) {
    const offset = boot.partition.firstLba * SECTOR_SIZE
    const volume = await probe(problems, { structure: 'FAT32 volume', offset }, () => openFat32(target, offset))
    const bootmgr = volume && (await probe(problems, { structure: BOOTMGR_PATH, offset }, () => volume.stat(BOOTMGR_PATH)))
    const entryOffset = bootmgr?.entryOffset ?? offset
    if (bootmgr?.kind === 'directory') problems.push({ structure: BOOTMGR_PATH, offset: entryOffset, message: `${BOOTMGR_PATH} is a directory` })
    else if (bootmgr?.size === 0) problems.push({ structure: BOOTMGR_PATH, offset: entryOffset, message: `${BOOTMGR_PATH} is empty` })
    else if (bootmgr && bootmgr.size > MAX_BOOTMGR_BYTES) {
      problems.push({ structure: BOOTMGR_PATH, offset: entryOffset, message: `${BOOTMGR_PATH} is ${bootmgr.size} bytes; a BIOS loads at most ${MAX_BOOTMGR_BYTES} (is it bootmgr.efi?)` })
    }
  }
  return { bootable: problems.length === 0, problems }
}

/** Runs a read; an AppError it raises becomes a problem at `at`, anything else propagates. */
async function probe<T>(problems: TableProblem[], at: Omit<TableProblem, 'message'>, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read()
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'IO') throw error
    const offset = typeof error.details?.offset === 'number' ? error.details.offset : at.offset
    problems.push({ ...at, offset, message: error.message })
    return undefined
  }
}

async function compare(target: ByteTarget, expected: Uint8Array, at: Omit<TableProblem, 'message'>, what: string, problems: TableProblem[]): Promise<void> {
  const actual = new Uint8Array(expected.length)
  const read = await target.read(actual, at.offset)
  const first = actual.findIndex((byte, i) => i >= read || byte !== expected[i])
  if (first >= 0) problems.push({ ...at, offset: at.offset + first, message: `not ${what} (the first difference is at byte ${at.offset + first})` })
}
