import type { ByteTarget } from '../byte-target'
import { isBareFileSystem } from './bare-volume'
import { corrupt } from './corrupt'
import { SECTOR_SIZES, type DiskLayout, type SectorSize } from './layout'
import { GPT_PROTECTIVE_TYPE, MBR_SIZE, parseMbrSector } from './mbr-sector'
import { locateGpt, readGpt } from './read-gpt'
import { mbrLayoutFrom } from './read-mbr'
import { readExact } from './read-exact'

export interface ReadTableOptions {
  /**
   * The device's logical sector size when known. A GPT reveals its own (512 and 4096 are
   * tried); an MBR does not, so it is read in 512-byte sectors unless this says otherwise.
   */
  sectorSize?: SectorSize
}

/**
 * The partition table on a target: a GPT (behind its protective MBR), an MBR, or null when
 * there is none (a blank disk, or a file system written to the whole disk). A damaged table
 * is AppError('CORRUPT') naming the target, the structure and its byte offset; a GPT whose
 * primary copy is damaged but whose backup is sound is read from the backup, with
 * `damage` saying so.
 */
export async function readPartitionTable(target: ByteTarget, options: ReadTableOptions = {}): Promise<DiskLayout | null> {
  if (target.size < MBR_SIZE) return null
  const sectorSizes = options.sectorSize ? [options.sectorSize] : SECTOR_SIZES
  const mbrOrigin = { path: target.name, structure: 'MBR', offset: 0 }
  const sector0 = await readExact(target, mbrOrigin, MBR_SIZE)
  const mbr = parseMbrSector(sector0)
  if (!mbr.hasBootSignature) {
    if (await locateGpt(target, sectorSizes)) {
      throw corrupt(mbrOrigin, 'a GPT header is present but the protective MBR is missing (no 55 AA boot signature)', 'bootSignature')
    }
    return null
  }
  if (isBareFileSystem(sector0)) return null
  if (mbr.entries.some((entry) => entry.type === GPT_PROTECTIVE_TYPE)) {
    const sectorSize = await locateGpt(target, sectorSizes)
    if (!sectorSize) {
      throw corrupt(
        { path: target.name, structure: 'GPT header', offset: sectorSizes[0] },
        `the MBR marks a GPT disk (type 0xEE) but no GPT header is at LBA 1 or in the last sector (sector size ${sectorSizes.join(' or ')})`,
        'signature',
      )
    }
    return readGpt(target, sectorSize)
  }
  return mbrLayoutFrom(mbr, { path: target.name, size: target.size, sectorSize: options.sectorSize ?? 512 })
}
