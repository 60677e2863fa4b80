import { AppError } from '../../../shared/errors'
import type { ByteTarget } from '../../disk/byte-target'
import type { DiskLayout } from '../../disk/partition'
import type { BiosBootCode } from './boot-code'
import { bootPartition } from './boot-layout'
import { LOADER_LBA, SECTOR_SIZE } from './grub-images'

/**
 * Writes GRUB's loader into the gap between the MBR and the first partition: the only part
 * of the chain outside the MBR (code.mbrCode goes to writePartitionTable as `bootCode`), so
 * the FAT32 volume and its boot sector stay exactly as the formatter wrote them.
 *
 * Call it after writePartitionTable, which zeroes the first MiB; in the short time between
 * the two, boot.img would find no loader, as on any half-made medium. The layout is
 * checked first (see bootPartition), so nothing is written to a disk GRUB could not boot.
 */
export async function writeBiosLoader(target: ByteTarget, layout: DiskLayout, code: BiosBootCode): Promise<void> {
  const boot = bootPartition(layout, code.loader.length)
  if ('problem' in boot) {
    throw new AppError(boot.problem.code, `Cannot make ${target.name} BIOS-bootable: ${boot.problem.message}`, { path: target.name, field: 'layout' })
  }
  await target.write(code.loader, LOADER_LBA * SECTOR_SIZE)
  await target.flush()
}
