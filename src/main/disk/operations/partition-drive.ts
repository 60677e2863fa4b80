import type { LayoutKindName } from '../../../shared/drives'
import { AppError } from '../../../shared/errors'
import type { FatSourceEntry } from '../../fs/fat32'
import type { OperationContext } from '../../jobs/operation-context'
import type { ByteTarget } from '../byte-target'
import { planLayout, writePartitionTable, type DiskLayout, type SectorSize } from '../partition'
import { wipeRegions } from '../partition/wipe-regions'
import { fat32Bytes, formatFat32 } from './format-fat32'

export const DEFAULT_USB_LABEL = 'IMAGING'

export function sectorSizeOf(target: ByteTarget): SectorSize {
  const size = target.sectorSize ?? 512
  if (size !== 512 && size !== 4096) throw new AppError('UNSUPPORTED', `${target.name} has ${size}-byte sectors (512 and 4096 are supported)`, { device: target.name })
  return size
}

/** The layout that `layout` means on this target; the label names the usb-uefi GPT partition too. */
export function planFor(target: ByteTarget, layout: LayoutKindName, label: string | undefined): DiskLayout {
  if (label !== undefined && (layout === 'uefi' || layout === 'bios')) {
    throw new AppError('VALIDATION', `The ${layout} layout takes no label: its volumes are formatted when Windows is applied`, { field: 'label', layout })
  }
  return planLayout(layout, target.size, { sectorSize: sectorSizeOf(target), ...(layout === 'usb-uefi' && label !== undefined ? { label } : {}) })
}

export interface WriteLayoutOptions {
  /** Volume label of the data partition (and the GPT name of the usb-uefi one). */
  label?: string
  /** What the data partition holds (what media creation puts on a stick); empty by default. */
  entries?: FatSourceEntry[]
  /** MBR boot code (BIOS boot of the usb-bios-uefi layout). */
  bootCode?: Uint8Array
}

/**
 * Writes the partition table, then a FAT32 volume in every partition the plan marks FAT32
 * (the USB data partition, the EFI system partition): empty, except the data partition,
 * which gets `entries`. NTFS partitions are left for the apply step, which formats them.
 */
export async function writeLayout(target: ByteTarget, layout: DiskLayout, ctx: OperationContext, options: WriteLayoutOptions = {}): Promise<void> {
  const fat = layout.partitions.filter((p) => p.fileSystem === 'fat32')
  const labelOf = (role: string | undefined) => (role === 'data' ? (options.label ?? DEFAULT_USB_LABEL) : undefined)
  const entriesOf = (role: string | undefined) => (role === 'data' ? (options.entries ?? []) : [])
  const tableBytes = wipeRegions(layout).reduce((sum, r) => sum + r.length, 0)
  ctx.setTotal(tableBytes + fat.reduce((sum, p) => sum + fat32Bytes(layout, p, labelOf(p.role), entriesOf(p.role)), 0))
  ctx.log('info', `Writing a ${layout.table.toUpperCase()} partition table (${layout.partitions.length} partition${layout.partitions.length === 1 ? '' : 's'})`)
  await writePartitionTable(target, layout, { bootCode: options.bootCode })
  ctx.advance(tableBytes)
  for (const partition of fat) {
    ctx.log('info', `Formatting partition ${partition.index} as FAT32`)
    await formatFat32(target, layout, partition, labelOf(partition.role), ctx, entriesOf(partition.role))
  }
}
