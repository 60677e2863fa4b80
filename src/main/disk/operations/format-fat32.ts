import { AppError } from '../../../shared/errors'
import { planFat32, writeFat32, type FatSourceEntry } from '../../fs/fat32'
import type { OperationContext } from '../../jobs/operation-context'
import type { ByteTarget } from '../byte-target'
import type { DiskLayout } from '../partition'
import type { PartitionCommon } from '../partition/layout'

/** A FAT32 volume filling a partition (empty, or holding `entries`), written by our streaming writer. */
export async function formatFat32(
  target: ByteTarget,
  layout: DiskLayout,
  partition: PartitionCommon,
  label: string | undefined,
  ctx: Pick<OperationContext, 'signal' | 'advance'>,
  entries: FatSourceEntry[] = [],
): Promise<void> {
  if (layout.sectorSize !== 512) {
    throw new AppError('UNSUPPORTED', `${target.name} has ${layout.sectorSize}-byte sectors; FAT32 is written with 512-byte sectors only`, { device: target.name })
  }
  const plan = planFat32({ sizeBytes: partition.sectorCount * layout.sectorSize, label, hiddenSectors: partition.firstLba, entries })
  let reported = 0
  await writeFat32(target, partition.firstLba * layout.sectorSize, plan, {
    signal: ctx.signal,
    onProgress: (done) => {
      ctx.advance(done - reported)
      reported = done
    },
  })
}

/** What writing the volume costs, for progress totals. */
export function fat32Bytes(layout: DiskLayout, partition: PartitionCommon, label: string | undefined, entries: FatSourceEntry[] = []): number {
  return planFat32({ sizeBytes: partition.sectorCount * layout.sectorSize, label, hiddenSectors: partition.firstLba, entries }).bytesToWrite
}
