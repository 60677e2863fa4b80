import type { DiskLayout } from './layout'

/**
 * What is zeroed before a new table is written, so nothing old confuses an OS, a firmware
 * or our own reader. One MiB covers every signature a probe looks for near the start of a
 * disk or volume (MBR, GPT at either sector size, FAT/NTFS/exFAT boot sectors, ext and btrfs
 * superblocks, ISO 9660 and UDF descriptors, boot loader embedding areas):
 * - the first MiB of the disk: the old MBR and primary GPT;
 * - the last MiB: an old backup GPT (at either sector size), which tools would otherwise
 *   find and offer to "restore";
 * - the first MiB of each new partition (all of it when smaller): an old file system there
 *   would otherwise be mounted, or be mistaken for what the next step formats.
 * Zeroing whole partitions would take minutes to hours and buys nothing: the formatter
 * writes fresh metadata and the rest is unreachable. A few MiB are written in all.
 */
export interface ByteRegion {
  offset: number
  length: number
}

export const WIPE_SPAN = 1024 * 1024

/** Sorted, merged regions within the disk. */
export function wipeRegions(layout: DiskLayout): ByteRegion[] {
  const size = layout.diskSizeBytes
  const regions: ByteRegion[] = [
    { offset: 0, length: Math.min(WIPE_SPAN, size) },
    { offset: Math.max(0, size - WIPE_SPAN), length: Math.min(WIPE_SPAN, size) },
    ...layout.partitions.map((p) => ({
      offset: p.firstLba * layout.sectorSize,
      length: Math.min(WIPE_SPAN, p.sectorCount * layout.sectorSize),
    })),
  ]
  regions.sort((a, b) => a.offset - b.offset)
  const merged: ByteRegion[] = []
  for (const region of regions) {
    const last = merged.at(-1)
    if (last && region.offset <= last.offset + last.length) {
      last.length = Math.max(last.length, region.offset + region.length - last.offset)
    } else {
      merged.push({ ...region })
    }
  }
  return merged
}
