/**
 * A file system written straight onto a disk without a partition table (a "superfloppy",
 * as many USB sticks come formatted). Its boot sector also ends in 55 AA, so without this
 * check its boot code would be read as four nonsense MBR entries.
 */
export function bareFileSystemName(sector0: Uint8Array): string | null {
  const text = (at: number): string => new TextDecoder('latin1').decode(sector0.subarray(at, at + 8))
  if (text(3) === 'NTFS    ') return 'NTFS'
  if (text(3) === 'EXFAT   ') return 'exFAT'
  if (text(82) === 'FAT32   ') return 'FAT32'
  if (['FAT12   ', 'FAT16   ', 'FAT     '].includes(text(54))) return 'FAT'
  return null
}
