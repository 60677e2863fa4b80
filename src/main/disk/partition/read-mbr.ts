import { corrupt, type Origin } from './corrupt'
import { partitionLastLba, type MbrLayout, type MbrPartition, type SectorSize } from './layout'
import { ACTIVE_STATUS, MBR_ENTRIES_OFFSET, MBR_ENTRY_SIZE, type MbrSector } from './mbr-sector'
import { findOverlap } from './overlap'
import { roleOfMbrType } from './partition-types'

/**
 * The layout an MBR describes, its entries checked against the disk. Logical partitions
 * inside an extended one are not followed: the extended partition is listed as one entry.
 */
export function mbrLayoutFrom(sector: MbrSector, disk: { path: string; size: number; sectorSize: SectorSize }): MbrLayout {
  const diskSectors = Math.floor(disk.size / disk.sectorSize)
  const origin = (index: number): Origin => ({
    path: disk.path,
    structure: `MBR entry ${index}`,
    offset: MBR_ENTRIES_OFFSET + (index - 1) * MBR_ENTRY_SIZE,
  })
  const partitions: MbrPartition[] = []
  sector.entries.forEach((entry, i) => {
    const index = i + 1
    if (entry.status !== 0 && entry.status !== ACTIVE_STATUS) {
      throw corrupt(origin(index), `status byte 0x${entry.status.toString(16)} is neither 0x00 nor 0x80`, 'status')
    }
    if (entry.type === 0 || entry.sectorCount === 0) return
    const partition: MbrPartition = { index, firstLba: entry.firstLba, sectorCount: entry.sectorCount, type: entry.type, active: entry.status === ACTIVE_STATUS }
    if (partition.firstLba === 0) throw corrupt(origin(index), 'the partition starts at LBA 0, over the MBR itself', 'firstLba')
    if (partitionLastLba(partition) >= diskSectors) {
      throw corrupt(
        origin(index),
        `the partition ends at LBA ${partitionLastLba(partition)}, beyond the disk's ${diskSectors} sectors of ${disk.sectorSize} bytes (truncated image, or another sector size?)`,
        'sectorCount',
      )
    }
    const role = roleOfMbrType(entry.type)
    partitions.push(role ? { ...partition, role } : partition)
  })
  const overlap = findOverlap(partitions)
  if (overlap) throw corrupt(origin(overlap[1].index), `the partition overlaps partition ${overlap[0].index}`, 'firstLba')
  return { table: 'mbr', sectorSize: disk.sectorSize, diskSizeBytes: disk.size, diskSignature: sector.diskSignature, partitions }
}
