import type { StructureView } from '../iso/structure-view'

/** Tag identifiers (ECMA-167 3/7.2.1 and 4/7.2.1). */
export const TagId = {
  PrimaryVolume: 1,
  AnchorPointer: 2,
  VolumePointer: 3,
  ImplementationUse: 4,
  Partition: 5,
  LogicalVolume: 6,
  UnallocatedSpace: 7,
  Terminating: 8,
  FileSet: 256,
  FileIdentifier: 257,
  AllocationExtent: 258,
  Indirect: 259,
  FileEntry: 261,
  ExtendedFileEntry: 266,
} as const

const TAG_BYTES = 16

const CRC_TABLE = (() => {
  const table = new Uint16Array(256)
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
    table[byte] = crc
  }
  return table
})()

/** CRC-ITU-T (x^16 + x^12 + x^5 + 1, initial 0), the descriptor CRC of ECMA-167 3/7.2.6. */
export function descriptorCrc(bytes: Uint8Array): number {
  let crc = 0
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ byte) & 0xff]
  return crc
}

/**
 * What is wrong with the tag at the start of `view` for a descriptor of one of `ids` recorded
 * at block `location`, or null if nothing is: checksum, identifier, location, then the CRC
 * over the descriptor body. The location check is what catches a descriptor read from the
 * wrong place (a bad partition start, a stale pointer); `location` is null for descriptors
 * that are not read from a block of their own (file identifiers, see there).
 */
export function tagProblem(view: StructureView, ids: readonly number[], location: number | null): string | null {
  if (view.length < TAG_BYTES) return 'too short for a descriptor tag'
  let sum = 0
  for (let i = 0; i < TAG_BYTES; i++) if (i !== 4) sum += view.u8(i)
  if ((sum & 0xff) !== view.u8(4)) return `tag checksum is ${view.u8(4)}, the bytes add up to ${sum & 0xff}`
  const id = view.u16(0)
  if (!ids.includes(id)) return `tag identifier is ${id}, expected ${ids.join(' or ')}`
  const recorded = view.u32(12)
  if (location !== null && recorded !== location) return `tag says it is at block ${recorded}, but it was read from block ${location}`
  const crcLength = view.u16(10)
  if (TAG_BYTES + crcLength > view.length) return `CRC covers ${crcLength} bytes, more than the descriptor's ${view.length - TAG_BYTES}`
  const crc = descriptorCrc(view.slice(TAG_BYTES, crcLength))
  if (crc !== view.u16(8)) return `descriptor CRC is ${view.u16(8)}, the bytes give ${crc}`
  return null
}

/** The identifier of a descriptor tag that must be valid: CORRUPT naming the descriptor otherwise. */
export function verifyTag(view: StructureView, ids: readonly number[], location: number | null): number {
  const problem = tagProblem(view, ids, location)
  if (problem !== null) view.fail(problem)
  return view.u16(0)
}
