import { basename, resolve } from 'node:path'
import type { PartitionRow } from '../../../shared/drives'
import { AppError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import { FileReader } from '../../io/random-access'
import type { ByteTarget } from '../byte-target'
import { describeLayout } from '../partition'
import { driveLabel } from '../write-safety'
import { checkExfatLabel, findMkfsExfat } from './exfat'
import type { OperationHandlers, PlannedTarget } from './operation-handler'
import { planFor, writeLayout } from './partition-drive'
import { DEFAULT_RESTORE_LABEL, restoreDrive, restoreLayout } from './restore-drive'
import { inspectImage, paddedImageSize, writeImage } from './write-image'

export const FILE_PREFIX = 'file:'

/** "partition 1 "Data" (Microsoft basic data, 14.9 GiB)". */
export function describeRow(row: PartitionRow): string {
  return `partition ${row.index}${row.name ? ` "${row.name}"` : ''} (${row.typeLabel}, ${formatBytes(row.sizeBytes)})`
}

/** A stand-in target of the planned size, for planning a layout before anything is opened. */
export function sizedTarget(target: PlannedTarget): ByteTarget {
  if (target.sizeBytes === null) throw new AppError('VALIDATION', `The size of ${target.id} is not known yet`, { field: 'createSizeBytes' })
  return { name: target.id, size: target.sizeBytes } as ByteTarget
}

/** Partition, restore and write an image: the operations of the disk layer itself. */
export function diskOperations(): Omit<OperationHandlers, 'media'> {
  return {
    partition: {
      describe: async (op, target) => {
        const layout = planFor(sizedTarget(target), op.layout, op.label)
        const rows = describeLayout(layout)
        return `A new ${layout.table.toUpperCase()} table (${op.layout}): ${rows.map((r) => `${r.name} ${formatBytes(r.sizeBytes)}${r.fileSystem === 'fat32' ? ' (empty FAT32)' : r.fileSystem === 'ntfs' ? ' (NTFS, formatted when Windows is applied)' : ''}`).join(', ')}.`
      },
      work: (op, write) => ({
        title: `Partition ${driveLabel(write.drive)} (${op.layout})`,
        write: async (target, ctx) => {
          const layout = planFor(target, op.layout, op.label)
          await writeLayout(target, layout, ctx, { label: op.label })
          return `a ${layout.table.toUpperCase()} table (${op.layout}) with ${describeLayout(layout).map(describeRow).join('; ')}`
        },
      }),
    },
    restore: {
      describe: async (op, target) => {
        const label = op.label ?? DEFAULT_RESTORE_LABEL
        if (op.fileSystem === 'exfat') {
          checkExfatLabel(label)
          findMkfsExfat()
        }
        const layout = restoreLayout(sizedTarget(target), op.fileSystem)
        return `One empty ${op.fileSystem === 'exfat' ? 'exFAT' : 'FAT32'} partition "${label}" of ${formatBytes(layout.partitions[0]!.sectorCount * layout.sectorSize)} in an MBR table.`
      },
      work: (op, write) => ({
        title: `Restore ${driveLabel(write.drive)} as ${op.fileSystem === 'exfat' ? 'exFAT' : 'FAT32'}`,
        write: async (target, ctx) => {
          const label = op.label ?? DEFAULT_RESTORE_LABEL
          const layout = await restoreDrive(target, op.fileSystem, label, ctx)
          return `one empty ${op.fileSystem === 'exfat' ? 'exFAT' : 'FAT32'} partition "${label}" of ${formatBytes(layout.partitions[0]!.sectorCount * layout.sectorSize)}`
        },
      }),
    },
    writeImage: {
      defaultCreateSize: async (op) => {
        const reader = await FileReader.open(op.image)
        try {
          return paddedImageSize(reader.size, 512)
        } finally {
          await reader.close()
        }
      },
      describe: async (op, target) => {
        if (target.id.startsWith(FILE_PREFIX) && resolve(target.id.slice(FILE_PREFIX.length)) === resolve(op.image)) {
          throw new AppError('VALIDATION', `${op.image} cannot be written onto itself`, { path: op.image })
        }
        const sizeBytes = sizedTarget(target).size
        const reader = await FileReader.open(op.image)
        try {
          const kind = await inspectImage(reader)
          if (paddedImageSize(reader.size, 512) > sizeBytes) {
            throw new AppError('VALIDATION', `${op.image} (${formatBytes(reader.size)}) does not fit on a ${formatBytes(sizeBytes)} target`, { path: op.image })
          }
          return `An exact copy of ${basename(op.image)} (${kind === 'hybrid-iso' ? 'hybrid ISO' : 'raw image'}, ${formatBytes(reader.size)})${paddedImageSize(reader.size, 512) < sizeBytes ? '; the rest of the drive is left unallocated' : ''}.`
        } finally {
          await reader.close()
        }
      },
      work: (op, write) => ({
        title: `Write ${basename(op.image)} to ${driveLabel(write.drive)}`,
        write: async (target, ctx) => {
          const reader = await FileReader.open(op.image)
          try {
            await inspectImage(reader)
            await writeImage(target, reader, ctx)
            return `an exact copy of ${basename(op.image)}`
          } finally {
            await reader.close()
          }
        },
      }),
    },
  }
}
