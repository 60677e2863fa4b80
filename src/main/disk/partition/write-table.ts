import { crc32 } from 'node:zlib'
import { AppError } from '../../../shared/errors'
import type { ByteTarget } from '../byte-target'
import { GPT_ENTRY_COUNT, GPT_ENTRY_SIZE, serializeGptEntries } from './gpt-entries'
import { gptGeometry } from './gpt-geometry'
import { serializeGptHeader, type GptHeader } from './gpt-header'
import type { DiskLayout, GptLayout, MbrLayout } from './layout'
import { ACTIVE_STATUS, BOOT_CODE_SIZE, GPT_PROTECTIVE_TYPE, MBR_ENTRY_COUNT, serializeMbrSector, type MbrEntry } from './mbr-sector'
import { validateLayout } from './validate-layout'
import { WIPE_SPAN, wipeRegions } from './wipe-regions'

export interface WriteTableOptions {
  /** BIOS boot code for bytes 0-439 of the MBR (at most 440 bytes); zeros without it. */
  bootCode?: Uint8Array
}

interface Placed {
  offset: number
  bytes: Uint8Array
}

/**
 * Writes the layout's partition table over whatever the target held. The order makes an
 * interrupted write harmless: the old tables are zeroed first (see wipeRegions), then the
 * backup GPT, the primary GPT and last the MBR, so the disk is only recognisable as
 * partitioned once everything else is in place.
 */
export async function writePartitionTable(target: ByteTarget, layout: DiskLayout, options: WriteTableOptions = {}): Promise<void> {
  validateLayout(layout, target.name, target.size)
  const bootCode = options.bootCode
  if (bootCode && bootCode.length > BOOT_CODE_SIZE) {
    throw new AppError('VALIDATION', `Boot code is ${bootCode.length} bytes; the MBR holds at most ${BOOT_CODE_SIZE}`, { field: 'bootCode' })
  }
  const structures = layout.table === 'gpt' ? gptStructures(layout, bootCode) : [mbrStructure(layout, bootCode)]
  const zeros = new Uint8Array(WIPE_SPAN)
  for (const region of wipeRegions(layout)) {
    for (let done = 0; done < region.length; done += WIPE_SPAN) {
      await target.write(zeros.subarray(0, Math.min(WIPE_SPAN, region.length - done)), region.offset + done)
    }
  }
  for (const { offset, bytes } of structures) await target.write(bytes, offset)
  await target.flush()
}

function gptStructures(layout: GptLayout, bootCode: Uint8Array | undefined): Placed[] {
  const { sectorSize } = layout
  const diskSectors = Math.floor(layout.diskSizeBytes / sectorSize)
  const geometry = gptGeometry(diskSectors, sectorSize)
  const entries = serializeGptEntries(layout.partitions)
  const primary: GptHeader = {
    myLba: 1,
    alternateLba: geometry.backupHeaderLba,
    firstUsableLba: layout.firstUsableLba,
    lastUsableLba: layout.lastUsableLba,
    diskGuid: layout.diskGuid,
    entriesLba: geometry.primaryEntriesLba,
    entryCount: GPT_ENTRY_COUNT,
    entrySize: GPT_ENTRY_SIZE,
    entriesCrc32: crc32(entries),
  }
  const backup: GptHeader = { ...primary, myLba: geometry.backupHeaderLba, alternateLba: 1, entriesLba: geometry.backupEntriesLba }
  // The protective MBR covers the whole disk (or as much as 32 bits can say), per UEFI.
  const protective: MbrEntry = { status: 0, type: GPT_PROTECTIVE_TYPE, firstLba: 1, sectorCount: Math.min(diskSectors - 1, 0xffffffff) }
  return [
    { offset: backup.entriesLba * sectorSize, bytes: entries },
    { offset: backup.myLba * sectorSize, bytes: serializeGptHeader(backup, sectorSize) },
    { offset: primary.entriesLba * sectorSize, bytes: entries },
    { offset: primary.myLba * sectorSize, bytes: serializeGptHeader(primary, sectorSize) },
    { offset: 0, bytes: serializeMbrSector({ diskSignature: 0, entries: [protective], bootCode }) },
  ]
}

function mbrStructure(layout: MbrLayout, bootCode: Uint8Array | undefined): Placed {
  const entries: MbrEntry[] = Array.from({ length: MBR_ENTRY_COUNT }, () => ({ status: 0, type: 0, firstLba: 0, sectorCount: 0 }))
  for (const p of layout.partitions) {
    entries[p.index - 1] = { status: p.active ? ACTIVE_STATUS : 0, type: p.type, firstLba: p.firstLba, sectorCount: p.sectorCount }
  }
  return { offset: 0, bytes: serializeMbrSector({ diskSignature: layout.diskSignature, entries, bootCode }) }
}
