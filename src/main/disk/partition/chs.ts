/**
 * Cylinder-head-sector addresses in MBR entries. Nothing modern reads them, but old BIOSes
 * and some tools check them, so they are written the way fdisk and Windows do: the
 * conventional 255-head, 63-sector geometry, and for an LBA past that geometry's reach
 * (about 8 GB) the "beyond CHS" value 1023/254/63.
 */
const HEADS = 255
const SECTORS_PER_TRACK = 63
const CYLINDERS = 1024

/** 1023/254/63: how fdisk and Windows mark an LBA that CHS cannot express. */
export const BEYOND_CHS = Uint8Array.of(0xfe, 0xff, 0xff)
/** The UEFI specification's value for the protective MBR's end when CHS cannot express it. */
export const PROTECTIVE_BEYOND_CHS = Uint8Array.of(0xff, 0xff, 0xff)

/** The three on-disk CHS bytes (head; sector with cylinder bits 8-9; cylinder bits 0-7). */
export function encodeChs(lba: number, beyond: Uint8Array = BEYOND_CHS): Uint8Array {
  if (lba >= CYLINDERS * HEADS * SECTORS_PER_TRACK) return beyond.slice()
  const cylinder = Math.floor(lba / (HEADS * SECTORS_PER_TRACK))
  const head = Math.floor(lba / SECTORS_PER_TRACK) % HEADS
  const sector = (lba % SECTORS_PER_TRACK) + 1
  return Uint8Array.of(head, sector | ((cylinder >> 2) & 0xc0), cylinder & 0xff)
}
