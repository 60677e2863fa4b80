/**
 * The FAT32 boot sector (BPB and extended BPB), serialised and parsed here only.
 * Offsets are those of Microsoft's FAT specification.
 */
import { AppError } from '../../../shared/errors'
import { corrupt, type Location } from './corrupt'
import { describeLayout, FAT_ENTRY_SIZE, FIRST_DATA_CLUSTER, MIN_CLUSTERS } from './geometry'
import { readLatin1, writeLatin1 } from './latin1'

export interface BootSector {
  bytesPerSector: number
  sectorsPerCluster: number
  reservedSectors: number
  fatCount: number
  media: number
  hiddenSectors: number
  totalSectors: number
  fatSectors: number
  /** Bit 7 set: only the FAT numbered in bits 0-3 is in use; clear: all FATs are mirrors. */
  extFlags: number
  rootCluster: number
  fsInfoSector: number
  backupBootSector: number
  volumeId: number
  /** The 11-byte label field, space-padded; "NO NAME    " when there is none. */
  labelField: string
}

export const NO_LABEL = 'NO NAME    '
const OEM_NAME = 'MSWIN4.1'
const FS_TYPE = 'FAT32   '
const BOOT_SIGNATURE = 0xaa55
const EXTENDED_BOOT_SIGNATURE = 0x29
const FIXED_DISK_DRIVE = 0x80
// LBA-era conventional geometry; nothing reads it, but zero upsets some BIOSes.
const SECTORS_PER_TRACK = 63
const HEADS = 255
const BOOT_CODE_OFFSET = 0x5a

/**
 * Real-mode code for a BIOS that boots the volume directly: print a message, wait for a
 * key, then hand over to the next boot device (int 19h), instead of running zeros.
 */
const BOOT_CODE = Uint8Array.from([
  0x0e, 0x1f, //                 push cs; pop ds
  0xbe, 0x75, 0x7c, //           mov si, message (0x7c00 + 0x75)
  0xac, //                       next: lodsb
  0x84, 0xc0, //                 test al, al
  0x74, 0x09, //                 jz done
  0xb4, 0x0e, //                 mov ah, 0x0e (teletype output)
  0xbb, 0x07, 0x00, //           mov bx, 7
  0xcd, 0x10, //                 int 0x10
  0xeb, 0xf2, //                 jmp next
  0x31, 0xc0, //                 done: xor ax, ax
  0xcd, 0x16, //                 int 0x16 (wait for a key)
  0xcd, 0x19, //                 int 0x19 (next boot device)
  0xeb, 0xfe, //                 jmp $
  ...new TextEncoder().encode('This volume is not bootable. Press a key to try the next boot device.\r\n\0'),
])

export function encodeBootSector(b: BootSector): Uint8Array {
  const bytes = new Uint8Array(512)
  const view = new DataView(bytes.buffer)
  bytes.set([0xeb, BOOT_CODE_OFFSET - 2, 0x90], 0)
  writeLatin1(bytes, 3, OEM_NAME)
  view.setUint16(11, b.bytesPerSector, true)
  view.setUint8(13, b.sectorsPerCluster)
  view.setUint16(14, b.reservedSectors, true)
  view.setUint8(16, b.fatCount)
  // 17 root entry count, 19 16-bit total sectors, 22 16-bit FAT size: all zero on FAT32
  view.setUint8(21, b.media)
  view.setUint16(24, SECTORS_PER_TRACK, true)
  view.setUint16(26, HEADS, true)
  view.setUint32(28, b.hiddenSectors, true)
  view.setUint32(32, b.totalSectors, true)
  view.setUint32(36, b.fatSectors, true)
  view.setUint16(40, b.extFlags, true)
  // 42 file system version 0.0
  view.setUint32(44, b.rootCluster, true)
  view.setUint16(48, b.fsInfoSector, true)
  view.setUint16(50, b.backupBootSector, true)
  view.setUint8(64, FIXED_DISK_DRIVE)
  view.setUint8(66, EXTENDED_BOOT_SIGNATURE)
  view.setUint32(67, b.volumeId, true)
  writeLatin1(bytes, 71, b.labelField)
  writeLatin1(bytes, 82, FS_TYPE)
  bytes.set(BOOT_CODE, BOOT_CODE_OFFSET)
  view.setUint16(510, BOOT_SIGNATURE, true)
  return bytes
}

/** Parse and check a boot sector; anything that is not a FAT32 volume is an error. */
export function decodeBootSector(bytes: Uint8Array, at: Location): BootSector {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const fail = (problem: string) => corrupt('FAT32 boot sector', at, problem)
  if (bytes.length < 512) throw fail(`only ${bytes.length} bytes could be read`)
  if (view.getUint16(510, true) !== BOOT_SIGNATURE) throw fail('no 0x55AA signature')
  const bytesPerSector = view.getUint16(11, true)
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) throw fail(`${bytesPerSector} bytes per sector`)
  const sectorsPerCluster = view.getUint8(13)
  if (sectorsPerCluster === 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) !== 0) throw fail(`${sectorsPerCluster} sectors per cluster`)
  const rootEntries = view.getUint16(17, true)
  const fatSectors16 = view.getUint16(22, true)
  if (rootEntries !== 0 || fatSectors16 !== 0) {
    throw new AppError('UNSUPPORTED', `${at.target}: the volume at byte ${at.offset} is FAT12 or FAT16, not FAT32`, { path: at.target, offset: at.offset })
  }
  const boot: BootSector = {
    bytesPerSector,
    sectorsPerCluster,
    reservedSectors: view.getUint16(14, true),
    fatCount: view.getUint8(16),
    media: view.getUint8(21),
    hiddenSectors: view.getUint32(28, true),
    totalSectors: view.getUint16(19, true) || view.getUint32(32, true),
    fatSectors: view.getUint32(36, true),
    extFlags: view.getUint16(40, true),
    rootCluster: view.getUint32(44, true),
    fsInfoSector: view.getUint16(48, true),
    backupBootSector: view.getUint16(50, true),
    volumeId: view.getUint32(67, true),
    labelField: view.getUint8(66) === EXTENDED_BOOT_SIGNATURE ? readLatin1(bytes, 71, 11) : NO_LABEL,
  }
  if (boot.reservedSectors === 0) throw fail('no reserved sectors')
  if (boot.fatCount === 0) throw fail('no FATs')
  if (boot.fatSectors === 0) throw fail('FAT size is zero')
  if ((boot.extFlags & 0x80) !== 0 && (boot.extFlags & 0x0f) >= boot.fatCount) throw fail(`active FAT ${boot.extFlags & 0x0f} of ${boot.fatCount}`)
  const geometry = describeLayout(boot)
  if (geometry.clusterCount < MIN_CLUSTERS) throw fail(`${geometry.clusterCount} clusters are too few for FAT32`)
  if (geometry.fatBytes / FAT_ENTRY_SIZE < geometry.clusterCount + FIRST_DATA_CLUSTER) throw fail(`a FAT of ${boot.fatSectors} sectors cannot map ${geometry.clusterCount} clusters`)
  if (boot.rootCluster < FIRST_DATA_CLUSTER || boot.rootCluster >= geometry.clusterCount + FIRST_DATA_CLUSTER) throw fail(`root cluster ${boot.rootCluster} is outside the volume`)
  return boot
}
