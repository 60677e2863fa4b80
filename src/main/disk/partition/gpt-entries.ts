import { corrupt, type Origin } from './corrupt'
import { ZERO_GUID, readGuid, writeGuid } from './guid'
import type { GptPartition } from './layout'
import { readSafeU64, writeU64 } from './u64'

/**
 * The GPT partition entry array: entryCount entries of entrySize bytes, each a type GUID,
 * a unique GUID, first and last LBA (inclusive), 64 attribute bits and a UTF-16LE name.
 * An entry whose type GUID is zero is unused. Parsed and serialised here only.
 */
export const GPT_ENTRY_SIZE = 128
/** What every mainstream tool writes, and the minimum array (16 KiB) the specification asks for. */
export const GPT_ENTRY_COUNT = 128
export const GPT_NAME_MAX_UNITS = 36

const NAME_OFFSET = 56

/** Why a name cannot be stored, or null when it can. */
export function gptNameProblem(name: string): string | null {
  if (name.length > GPT_NAME_MAX_UNITS) return `GPT partition name "${name}" is ${name.length} UTF-16 units long; the limit is ${GPT_NAME_MAX_UNITS}`
  if (name.includes('\0')) return 'GPT partition name contains a NUL character'
  return null
}

/** The used entries, numbered from 1 by their slot. */
export function parseGptEntries(array: Uint8Array, entryCount: number, entrySize: number, entryOrigin: (index: number) => Origin): GptPartition[] {
  const partitions: GptPartition[] = []
  for (let slot = 0; slot < entryCount; slot++) {
    const at = slot * entrySize
    const typeGuid = readGuid(array, at)
    if (typeGuid === ZERO_GUID) continue
    const origin = entryOrigin(slot + 1)
    const view = new DataView(array.buffer, array.byteOffset + at, GPT_ENTRY_SIZE)
    const firstLba = readSafeU64(view, 32, origin, 'firstLba')
    const lastLba = readSafeU64(view, 40, origin, 'lastLba')
    if (lastLba < firstLba) throw corrupt(origin, `last LBA ${lastLba} is before first LBA ${firstLba}`, 'lastLba')
    partitions.push({
      index: slot + 1,
      typeGuid,
      uniqueGuid: readGuid(array, at + 16),
      firstLba,
      sectorCount: lastLba - firstLba + 1,
      attributes: view.getBigUint64(48, true),
      name: readName(array.subarray(at + NAME_OFFSET, at + GPT_ENTRY_SIZE)),
    })
  }
  return partitions
}

/** The whole array, each partition in the slot its index names. */
export function serializeGptEntries(partitions: readonly GptPartition[], entryCount = GPT_ENTRY_COUNT): Uint8Array {
  const array = new Uint8Array(entryCount * GPT_ENTRY_SIZE)
  for (const partition of partitions) {
    const at = (partition.index - 1) * GPT_ENTRY_SIZE
    const view = new DataView(array.buffer, at, GPT_ENTRY_SIZE)
    writeGuid(array, at, partition.typeGuid)
    writeGuid(array, at + 16, partition.uniqueGuid)
    writeU64(view, 32, partition.firstLba)
    writeU64(view, 40, partition.firstLba + partition.sectorCount - 1)
    view.setBigUint64(48, partition.attributes, true)
    for (let i = 0; i < partition.name.length; i++) view.setUint16(NAME_OFFSET + i * 2, partition.name.charCodeAt(i), true)
  }
  return array
}

function readName(field: Uint8Array): string {
  const view = new DataView(field.buffer, field.byteOffset, field.byteLength)
  let name = ''
  for (let at = 0; at < field.length; at += 2) {
    const unit = view.getUint16(at, true)
    if (unit === 0) break
    name += String.fromCharCode(unit)
  }
  return name
}
