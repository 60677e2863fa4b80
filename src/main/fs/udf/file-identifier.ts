import type { StructureView } from '../iso/structure-view'
import { parseLongAd, type LongAd } from './allocation-descriptors'
import { TagId, verifyTag } from './descriptor-tag'
import { decodeOstaString } from './osta-string'

/** File Identifier Descriptor (ECMA-167 4/14.4): one name in a directory. */
export interface FileIdentifier {
  readonly name: string
  readonly icb: LongAd
  /** Byte offset of the descriptor in the directory's data. */
  readonly at: number
}

const CHARACTERISTIC_DELETED = 0x04
const CHARACTERISTIC_PARENT = 0x08
const FIXED_BYTES = 38
const STRUCTURE = 'UDF file identifier'

/**
 * The live names of a directory's data: deleted entries and the parent entry are skipped.
 * Each descriptor's checksum and CRC are verified but not its tag location: FIDs run on
 * through a directory's blocks, neither Linux nor 7-Zip checks where they say they are, and
 * refusing a Windows medium over a harmless writer quirk there would cost more than it saves.
 */
export function* parseFileIdentifiers(view: StructureView): Generator<FileIdentifier> {
  for (let at = 0; at < view.length; ) {
    const head = view.sub(at, Math.min(FIXED_BYTES, view.length - at), STRUCTURE)
    if (head.length < FIXED_BYTES) head.fail(`${head.length} bytes left at the end of the directory, too few for a file identifier`)
    const identifierLength = head.u8(19)
    const implementationLength = head.u16(36)
    const length = FIXED_BYTES + implementationLength + identifierLength
    const padded = (length + 3) & ~3
    const fid = view.sub(at, Math.min(padded, view.length - at), STRUCTURE)
    if (fid.length < length) fid.fail(`needs ${length} bytes but the directory ends after ${fid.length}`)
    verifyTag(fid, [TagId.FileIdentifier], null)
    const characteristics = fid.u8(18)
    if ((characteristics & (CHARACTERISTIC_DELETED | CHARACTERISTIC_PARENT)) === 0) {
      yield {
        name: decodeOstaString(fid, FIXED_BYTES + implementationLength, identifierLength),
        icb: parseLongAd(fid, 20),
        at,
      }
    }
    at += fid.length
  }
}
