/**
 * The two GRUB i386-pc images as they sit on a disk whose loader starts at LBA 1 (the gap
 * after the MBR): checked and prepared here only. Offsets are GRUB 2.06's, from
 * include/grub/i386/pc/boot.h and grub-core/boot/i386/pc/{boot,diskboot}.S; what is patched
 * is what util/setup.c (grub-bios-setup) patches when it embeds core.img in that gap.
 */
import { AppError } from '../../../shared/errors'

export const SECTOR_SIZE = 512
/** Where the loader starts; both images below are checked to say so. */
export const LOADER_LBA = 1
/** The MBR boot code area; the disk signature and partition table follow. */
const MBR_CODE_SIZE = 440

/** boot.img: the 64-bit LBA it loads the first sector of core.img from (boot.S kernel_sector). */
const KERNEL_SECTOR_OFFSET = 0x5c
/** boot.img: 0xff means "the drive the BIOS passed in DL". */
const BOOT_DRIVE_OFFSET = 0x64
/**
 * boot.img: a short jmp over the check that forces DL to 0x80 when a BIOS passes a floppy
 * number for the disk it booted. grub-bios-setup overwrites the jmp with two NOPs for every
 * target that is not a floppy, so the check runs; so do we (a USB stick boots as a disk).
 */
const DRIVE_CHECK_OFFSET = 0x66
const SHORT_JMP = 0xeb
const NOP = 0x90

/**
 * core.img's first sector (diskboot.img) ends with its blocklist: where the rest of core.img
 * is on disk. grub-mkimage fills in the defaults for a loader at LBA 1: start LBA 2 (64-bit),
 * the remaining sector count (16-bit), load segment 0x820 (right after the first sector at
 * 0x8000). The entry below it is the terminator and must have length 0.
 */
const BLOCKLIST_OFFSET = SECTOR_SIZE - 12
const BLOCKLIST_SEGMENT = 0x820
const TERMINATOR_LENGTH_OFFSET = BLOCKLIST_OFFSET - 4

/** boot.img as the MBR's first 440 bytes, drive check enabled. */
export function mbrBootCode(bootImg: Uint8Array, path: string): Uint8Array {
  const view = viewOf(bootImg)
  const fail = (offset: number, problem: string) => invalid(path, offset, `boot.img ${problem}`)
  if (bootImg.length !== SECTOR_SIZE) throw fail(0, `is ${bootImg.length} bytes, not ${SECTOR_SIZE}`)
  if (view.getUint16(SECTOR_SIZE - 2, true) !== 0xaa55) throw fail(SECTOR_SIZE - 2, 'has no 55 AA signature')
  if (view.getBigUint64(KERNEL_SECTOR_OFFSET, true) !== BigInt(LOADER_LBA)) throw fail(KERNEL_SECTOR_OFFSET, `does not load core.img from LBA ${LOADER_LBA}`)
  if (view.getUint8(BOOT_DRIVE_OFFSET) !== 0xff) throw fail(BOOT_DRIVE_OFFSET, 'names a fixed boot drive instead of using DL')
  if (view.getUint8(DRIVE_CHECK_OFFSET) !== SHORT_JMP) throw fail(DRIVE_CHECK_OFFSET, 'has no drive-check jump where GRUB 2 puts it')
  const code = bootImg.slice(0, MBR_CODE_SIZE)
  code[DRIVE_CHECK_OFFSET] = NOP
  code[DRIVE_CHECK_OFFSET + 1] = NOP
  return code
}

/** core.img padded to whole sectors, after checking it loads itself from LBA 1 onwards. */
export function loaderSectors(coreImg: Uint8Array, path: string): Uint8Array {
  const sectors = Math.ceil(coreImg.length / SECTOR_SIZE)
  const fail = (offset: number, problem: string) => invalid(path, offset, `core.img ${problem}`)
  if (sectors < 2) throw fail(0, `is only ${coreImg.length} bytes`)
  const view = viewOf(coreImg)
  if (view.getBigUint64(BLOCKLIST_OFFSET, true) !== BigInt(LOADER_LBA + 1)) throw fail(BLOCKLIST_OFFSET, `does not continue at LBA ${LOADER_LBA + 1}`)
  const rest = view.getUint16(BLOCKLIST_OFFSET + 8, true)
  if (rest !== sectors - 1) throw fail(BLOCKLIST_OFFSET + 8, `loads ${rest} more sectors, but ${sectors - 1} follow its first`)
  if (view.getUint16(BLOCKLIST_OFFSET + 10, true) !== BLOCKLIST_SEGMENT) throw fail(BLOCKLIST_OFFSET + 10, 'loads its sectors to an unexpected segment')
  if (view.getUint16(TERMINATOR_LENGTH_OFFSET, true) !== 0) throw fail(TERMINATOR_LENGTH_OFFSET, 'has a second blocklist entry')
  const padded = new Uint8Array(sectors * SECTOR_SIZE)
  padded.set(coreImg)
  return padded
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function invalid(path: string, offset: number, problem: string): AppError {
  return new AppError('CORRUPT', `${path}: ${problem} (byte ${offset})`, { path, offset })
}
