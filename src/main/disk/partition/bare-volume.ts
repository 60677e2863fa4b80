/**
 * A file system written straight onto a disk without a partition table (a "superfloppy",
 * as many USB sticks come formatted). Its boot sector also ends in 55 AA, so without this
 * check its boot code would be read as four nonsense MBR entries.
 */
export function isBareFileSystem(sector0: Uint8Array): boolean {
  const text = (at: number): string => new TextDecoder('latin1').decode(sector0.subarray(at, at + 8))
  // NTFS and exFAT name themselves in the OEM field; FAT in the BPB's file-system type field.
  return ['NTFS    ', 'EXFAT   '].includes(text(3)) || text(82) === 'FAT32   ' || ['FAT12   ', 'FAT16   ', 'FAT     '].includes(text(54))
}
