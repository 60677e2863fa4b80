import type { RestoreFileSystem } from '../../../shared/drives'
import type { OperationContext } from '../../jobs/operation-context'
import type { ByteTarget } from '../byte-target'
import { MBR_TYPE, planLayout, writePartitionTable, type MbrLayout } from '../partition'
import { wipeRegions } from '../partition/wipe-regions'
import { makeExfatVolume, copyExfatVolume } from './exfat'
import { fat32Bytes, formatFat32 } from './format-fat32'
import { sectorSizeOf } from './partition-drive'

export const DEFAULT_RESTORE_LABEL = 'USB DRIVE'

/** One partition over the whole drive from 1 MiB, in an MBR (what every OS and camera reads): FAT32 (0x0C) or exFAT (0x07). */
export function restoreLayout(target: ByteTarget, fileSystem: RestoreFileSystem): MbrLayout {
  const layout = planLayout('usb-bios-uefi', target.size, { sectorSize: sectorSizeOf(target) }) as MbrLayout
  if (fileSystem === 'fat32') return layout
  // The FAT32 partition's bounds (from 1 MiB to the end, within what an MBR addresses) suit exFAT as well.
  return { ...layout, partitions: layout.partitions.map((p) => ({ ...p, type: MBR_TYPE.ntfs, active: false, fileSystem: undefined })) }
}

export async function restoreDrive(target: ByteTarget, fileSystem: RestoreFileSystem, label: string, ctx: OperationContext): Promise<MbrLayout> {
  const layout = restoreLayout(target, fileSystem)
  const partition = layout.partitions[0]!
  const offset = partition.firstLba * layout.sectorSize
  const tableBytes = wipeRegions(layout).reduce((sum, r) => sum + r.length, 0)
  if (fileSystem === 'fat32') {
    ctx.setTotal(tableBytes + fat32Bytes(layout, partition, label))
    await writePartitionTable(target, layout)
    ctx.advance(tableBytes)
    ctx.log('info', `Formatting the partition as FAT32, label ${label}`)
    await formatFat32(target, layout, partition, label, ctx)
    return layout
  }
  ctx.log('info', `Formatting a scratch exFAT volume of ${partition.sectorCount * layout.sectorSize} bytes with mkfs.exfat`)
  const volume = await makeExfatVolume(partition.sectorCount * layout.sectorSize, label, ctx.signal)
  try {
    ctx.setTotal(tableBytes + volume.metadataBytes)
    await writePartitionTable(target, layout)
    ctx.advance(tableBytes)
    ctx.log('info', `Copying ${volume.metadataBytes} bytes of exFAT metadata into the partition`)
    await copyExfatVolume(target, offset, volume, ctx)
    await target.flush()
  } finally {
    await volume.dispose()
  }
  return layout
}
