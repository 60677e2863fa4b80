import { crc32 } from 'node:zlib'
import { AppError } from '../../../shared/errors'
import type { ByteTarget } from '../byte-target'
import { corrupt, type Origin } from './corrupt'
import { GPT_ENTRY_SIZE, parseGptEntries } from './gpt-entries'
import { hasGptSignature, hex32, parseGptHeader, type GptHeader } from './gpt-header'
import { partitionLastLba, type GptLayout, type GptPartition, type SectorSize, type TableProblem } from './layout'
import { findOverlap } from './overlap'
import { roleOfGptType } from './partition-types'
import { readExact } from './read-exact'

/**
 * Reading a GPT: both copies are checked (header CRC, where everything points, entry-array
 * CRC, the entries themselves). The primary is used when it is sound; otherwise the backup,
 * with the damage recorded on the layout. Only when neither is usable is it CORRUPT.
 */

/** A real array is 16 KiB; 1 MiB (8192 entries) is more than any tool makes and bounds what a corrupt header can make us allocate. */
const MAX_ENTRY_ARRAY_BYTES = 1024 * 1024
const MAX_ENTRY_SIZE = 4096

type Copy = 'primary' | 'backup'

interface GptCopy {
  header: GptHeader
  partitions: GptPartition[]
}

/** The sector size at which a GPT header signature is found, at LBA 1 first, else in the last sector. */
export async function locateGpt(target: ByteTarget, sectorSizes: readonly SectorSize[]): Promise<SectorSize | null> {
  const signatureAt = async (offset: number, sectorSize: number): Promise<boolean> => {
    if (offset < sectorSize || offset + sectorSize > target.size) return false
    const sector = new Uint8Array(sectorSize)
    return (await target.read(sector, offset)) === sectorSize && hasGptSignature(sector)
  }
  for (const sectorSize of sectorSizes) {
    if (await signatureAt(sectorSize, sectorSize)) return sectorSize
  }
  for (const sectorSize of sectorSizes) {
    if (await signatureAt((Math.floor(target.size / sectorSize) - 1) * sectorSize, sectorSize)) return sectorSize
  }
  return null
}

export async function readGpt(target: ByteTarget, sectorSize: SectorSize): Promise<GptLayout> {
  const lastLba = Math.floor(target.size / sectorSize) - 1
  const primary = await corruptionOr(readCopy(target, sectorSize, 1, 'primary'))
  if (primary instanceof AppError) {
    const backup = await corruptionOr(readCopy(target, sectorSize, lastLba, 'backup'))
    if (backup instanceof AppError) {
      throw new AppError('CORRUPT', `${primary.message}; the backup GPT is unusable too: ${backup.message}`, {
        ...primary.details,
        backupStructure: backup.details?.structure,
        backupOffset: backup.details?.offset,
      })
    }
    return layoutOf(target, sectorSize, backup, { readFrom: 'backup', problems: [problemOf(primary)] })
  }

  const problems: TableProblem[] = []
  const backupLba = primary.header.alternateLba
  if (backupLba !== lastLba) {
    problems.push({
      structure: 'backup GPT header',
      offset: backupLba * sectorSize,
      message: `the backup GPT is at LBA ${backupLba}, not at the disk's last LBA ${lastLba}: the table was made for a smaller disk (an image written to a larger one?)`,
    })
  }
  const backup = await corruptionOr(readCopy(target, sectorSize, backupLba, 'backup'))
  if (backup instanceof AppError) {
    problems.push(problemOf(backup))
  } else {
    const differing = (['diskGuid', 'firstUsableLba', 'lastUsableLba', 'entryCount', 'entrySize', 'entriesCrc32'] as const).filter(
      (field) => backup.header[field] !== primary.header[field],
    )
    if (differing.length > 0) {
      problems.push({ structure: 'backup GPT header', offset: backupLba * sectorSize, message: `the backup GPT differs from the primary in ${differing.join(', ')}` })
    }
  }
  return layoutOf(target, sectorSize, primary, problems.length > 0 ? { readFrom: 'primary', problems } : undefined)
}

/** The copy, or the CORRUPT error that rejected it; any other failure (I/O) is not ours to absorb. */
async function corruptionOr(reading: Promise<GptCopy>): Promise<GptCopy | AppError> {
  try {
    return await reading
  } catch (error) {
    if (error instanceof AppError && error.code === 'CORRUPT') return error
    throw error
  }
}

function problemOf(error: AppError): TableProblem {
  return { structure: String(error.details?.structure), offset: Number(error.details?.offset), message: error.message }
}

function layoutOf(target: ByteTarget, sectorSize: SectorSize, copy: GptCopy, damage: GptLayout['damage']): GptLayout {
  const layout: GptLayout = {
    table: 'gpt',
    sectorSize,
    diskSizeBytes: target.size,
    diskGuid: copy.header.diskGuid,
    firstUsableLba: copy.header.firstUsableLba,
    lastUsableLba: copy.header.lastUsableLba,
    partitions: copy.partitions,
  }
  return damage ? { ...layout, damage } : layout
}

/** One copy, header and entries, every field checked against the disk. */
async function readCopy(target: ByteTarget, sectorSize: SectorSize, lba: number, copy: Copy): Promise<GptCopy> {
  const diskSectors = Math.floor(target.size / sectorSize)
  const headerOrigin: Origin = { path: target.name, structure: `${copy} GPT header`, offset: lba * sectorSize }
  const header = parseGptHeader(await readExact(target, headerOrigin, sectorSize), headerOrigin)
  const bad = (message: string, field: string): AppError => corrupt(headerOrigin, message, field)

  if (header.myLba !== lba) throw bad(`the header says it is at LBA ${header.myLba}`, 'myLba')
  const beyond = `beyond the disk's last LBA ${diskSectors - 1} (truncated image?)`
  if (header.alternateLba >= diskSectors) throw bad(`the other copy's LBA ${header.alternateLba} is ${beyond}`, 'alternateLba')
  if (header.lastUsableLba >= diskSectors) throw bad(`the last usable LBA ${header.lastUsableLba} is ${beyond}`, 'lastUsableLba')
  if (header.firstUsableLba > header.lastUsableLba) {
    throw bad(`the first usable LBA ${header.firstUsableLba} is after the last ${header.lastUsableLba}`, 'firstUsableLba')
  }
  if (header.entrySize < GPT_ENTRY_SIZE || header.entrySize > MAX_ENTRY_SIZE || header.entrySize & (header.entrySize - 1)) {
    throw bad(`entry size ${header.entrySize} is not 128 times a power of two up to ${MAX_ENTRY_SIZE}`, 'entrySize')
  }
  const arrayBytes = header.entryCount * header.entrySize
  if (header.entryCount < 1 || arrayBytes > MAX_ENTRY_ARRAY_BYTES) {
    throw bad(`${header.entryCount} entries of ${header.entrySize} bytes is outside 1 entry..${MAX_ENTRY_ARRAY_BYTES} bytes`, 'entryCount')
  }
  const arrayFirst = header.entriesLba
  const arrayLast = arrayFirst + Math.ceil(arrayBytes / sectorSize) - 1
  const arrayAt = `the entry array (LBA ${arrayFirst}..${arrayLast})`
  if (arrayFirst < 1 || arrayLast >= diskSectors) throw bad(`${arrayAt} lies outside the disk's LBAs 1..${diskSectors - 1}`, 'entriesLba')
  if (arrayFirst <= lba && lba <= arrayLast) throw bad(`${arrayAt} covers the header itself`, 'entriesLba')
  if (arrayFirst <= header.lastUsableLba && header.firstUsableLba <= arrayLast) {
    throw bad(`${arrayAt} overlaps the usable LBAs ${header.firstUsableLba}..${header.lastUsableLba}`, 'entriesLba')
  }

  const arrayOrigin: Origin = { path: target.name, structure: `${copy} GPT entry array`, offset: arrayFirst * sectorSize }
  const array = await readExact(target, arrayOrigin, arrayBytes)
  const arrayCrc = crc32(array)
  if (arrayCrc !== header.entriesCrc32) {
    throw corrupt(arrayOrigin, `entry array CRC32 is ${hex32(arrayCrc)}, the header says ${hex32(header.entriesCrc32)}`, 'entriesCrc32')
  }
  const entryOrigin = (index: number): Origin => ({
    path: target.name,
    structure: `${copy} GPT entry ${index}`,
    offset: arrayOrigin.offset + (index - 1) * header.entrySize,
  })
  const partitions = parseGptEntries(array, header.entryCount, header.entrySize, entryOrigin).map((p) => {
    const role = roleOfGptType(p.typeGuid)
    return role ? { ...p, role } : p
  })
  for (const p of partitions) {
    if (p.firstLba < header.firstUsableLba || partitionLastLba(p) > header.lastUsableLba) {
      throw corrupt(entryOrigin(p.index), `the partition (LBA ${p.firstLba}..${partitionLastLba(p)}) is outside the usable LBAs ${header.firstUsableLba}..${header.lastUsableLba}`, 'firstLba')
    }
  }
  const overlap = findOverlap(partitions)
  if (overlap) throw corrupt(entryOrigin(overlap[1].index), `the partition overlaps partition ${overlap[0].index}`, 'firstLba')
  return { header, partitions }
}
