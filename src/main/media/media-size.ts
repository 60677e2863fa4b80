import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import type { MediaLayout } from '../../shared/media'
import type { ByteTarget } from '../disk/byte-target'
import { planFor } from '../disk/operations/partition-drive'
import type { DiskLayout } from '../disk/partition'
import type { PartitionCommon } from '../disk/partition/layout'
import { planFat32, type FatSourceEntry } from '../fs/fat32'

const MiB = 1024 * 1024

export interface MediaPlan {
  layout: DiskLayout
  /** The FAT32 partition that holds the files. */
  data: PartitionCommon
}

function dataPartition(layout: DiskLayout): PartitionCommon {
  return layout.partitions.find((p) => p.role === 'data')!
}

/**
 * The partition layout of the medium on a target of `sizeBytes`, once the FAT32 volume is
 * known to hold every entry: a target too small is refused here, before anything is written,
 * with the size that would do.
 */
export function planMedia(kind: MediaLayout, sizeBytes: number, label: string, entries: FatSourceEntry[], targetName: string): MediaPlan {
  const layout = planFor({ name: targetName, size: sizeBytes } as ByteTarget, kind, kind === 'usb-uefi' ? label : undefined)
  const data = dataPartition(layout)
  try {
    planFat32({ sizeBytes: data.sectorCount * layout.sectorSize, label, hiddenSectors: data.firstLba, entries })
  } catch (error) {
    if (error instanceof AppError && typeof error.details?.neededBytes === 'number') {
      const needed = fitMediaSize(kind, label, entries)
      throw new AppError('VALIDATION', `${targetName} (${formatBytes(sizeBytes)}) is too small for this medium: it needs at least ${formatBytes(needed)}`, {
        field: 'target',
        sizeBytes,
        neededBytes: needed,
      })
    }
    throw error
  }
  return { layout, data }
}

/** The smallest whole number of MiB a medium holding `entries` fits in: the size of an image file made to fit. */
export function fitMediaSize(kind: MediaLayout, label: string, entries: FatSourceEntry[]): number {
  const contents = entries.reduce((sum, e) => sum + (e.size ?? 0), 0)
  // A first guess a little over the contents; each miss grows by what the planner says is lacking.
  let size = Math.ceil((contents * 1.01 + 8 * MiB) / MiB) * MiB
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const layout = planFor({ name: 'fit', size } as ByteTarget, kind, kind === 'usb-uefi' ? label : undefined)
      const data = dataPartition(layout)
      planFat32({ sizeBytes: data.sectorCount * layout.sectorSize, label, hiddenSectors: data.firstLba, entries })
      return size
    } catch (error) {
      const details = error instanceof AppError ? error.details : undefined
      const lacking = typeof details?.neededBytes === 'number' && typeof details.availableBytes === 'number' ? details.neededBytes - details.availableBytes : 0
      const smallest = typeof details?.minimumBytes === 'number' ? details.minimumBytes : 0
      // Only a lack of space is cured by a larger size; anything else (a bad label, a name FAT refuses) is the answer.
      if (!(error instanceof AppError) || error.code !== 'VALIDATION' || (lacking <= 0 && smallest <= size)) throw error
      size = Math.ceil((Math.max(size + lacking * 1.01, smallest, size * 1.02) + MiB) / MiB) * MiB
    }
  }
  throw new AppError('VALIDATION', `No medium size holds these ${formatBytes(contents)} of files`, { field: 'target' })
}
