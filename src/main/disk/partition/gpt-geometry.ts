import { GPT_ENTRY_COUNT, GPT_ENTRY_SIZE } from './gpt-entries'

/**
 * Where our GPT's structures sit on a disk of diskSectors sectors: the primary header at
 * LBA 1 and its 128-entry array from LBA 2; the backup array just before the backup header
 * in the last LBA. Partitions may use what lies between.
 */
export interface GptGeometry {
  arraySectors: number
  primaryEntriesLba: number
  backupEntriesLba: number
  backupHeaderLba: number
  firstUsableLba: number
  lastUsableLba: number
}

export function gptGeometry(diskSectors: number, sectorSize: number): GptGeometry {
  const arraySectors = Math.ceil((GPT_ENTRY_COUNT * GPT_ENTRY_SIZE) / sectorSize)
  const backupHeaderLba = diskSectors - 1
  const backupEntriesLba = backupHeaderLba - arraySectors
  return {
    arraySectors,
    primaryEntriesLba: 2,
    backupEntriesLba,
    backupHeaderLba,
    firstUsableLba: 2 + arraySectors,
    lastUsableLba: backupEntriesLba - 1,
  }
}
