import { AppError } from '../../../shared/errors'
import { GPT_ENTRY_COUNT, gptNameProblem } from './gpt-entries'
import { gptGeometry } from './gpt-geometry'
import { ZERO_GUID, isGuid } from './guid'
import { SECTOR_SIZES, partitionLastLba, type DiskLayout, type GptLayout, type MbrLayout } from './layout'
import { GPT_PROTECTIVE_TYPE, MBR_ENTRY_COUNT, MBR_MAX_SECTORS } from './mbr-sector'
import { findOverlap } from './overlap'

/**
 * Everything a layout must satisfy before a single byte is written, checked against the
 * target it is about to be written to. Planned layouts pass by construction; this guards
 * layouts a caller built or edited.
 */
export function validateLayout(layout: DiskLayout, targetName: string, targetSize: number): void {
  const fail = (message: string, field: string, index?: number): never => {
    throw new AppError('VALIDATION', `Cannot write this partition table to ${targetName}: ${message}`, { path: targetName, field, index })
  }
  if (!SECTOR_SIZES.includes(layout.sectorSize)) fail(`sector size ${String(layout.sectorSize)} is not 512 or 4096`, 'sectorSize')
  if (layout.diskSizeBytes !== targetSize) {
    fail(`the layout was planned for a disk of ${layout.diskSizeBytes} bytes, and the target holds ${targetSize}`, 'diskSizeBytes')
  }
  const diskSectors = Math.floor(targetSize / layout.sectorSize)
  const seen = new Set<number>()
  for (const p of layout.partitions) {
    const maxIndex = layout.table === 'gpt' ? GPT_ENTRY_COUNT : MBR_ENTRY_COUNT
    if (!Number.isInteger(p.index) || p.index < 1 || p.index > maxIndex) fail(`partition index ${p.index} is outside 1..${maxIndex}`, 'index', p.index)
    if (seen.has(p.index)) fail(`two partitions have index ${p.index}`, 'index', p.index)
    seen.add(p.index)
    if (!Number.isSafeInteger(p.firstLba) || !Number.isSafeInteger(p.sectorCount) || p.sectorCount < 1) {
      fail(`partition ${p.index} has first LBA ${p.firstLba} and ${p.sectorCount} sectors`, 'sectorCount', p.index)
    }
  }
  const overlap = findOverlap(layout.partitions)
  if (overlap) fail(`partitions ${overlap[0].index} and ${overlap[1].index} overlap`, 'firstLba', overlap[1].index)
  if (layout.table === 'gpt') validateGpt(layout, diskSectors, fail)
  else validateMbr(layout, diskSectors, fail)
}

type Fail = (message: string, field: string, index?: number) => never

function validateGpt(layout: GptLayout, diskSectors: number, fail: Fail): void {
  const geometry = gptGeometry(diskSectors, layout.sectorSize)
  if (!isGuid(layout.diskGuid) || layout.diskGuid === ZERO_GUID) fail(`disk GUID "${layout.diskGuid}" is not a GUID`, 'diskGuid')
  if (layout.firstUsableLba < geometry.firstUsableLba || layout.lastUsableLba > geometry.lastUsableLba || layout.firstUsableLba > layout.lastUsableLba) {
    fail(
      `usable LBAs ${layout.firstUsableLba}..${layout.lastUsableLba} are not within ${geometry.firstUsableLba}..${geometry.lastUsableLba}, outside the GPT structures`,
      'firstUsableLba',
    )
  }
  const guids = new Set<string>([layout.diskGuid.toUpperCase()])
  for (const p of layout.partitions) {
    if (!isGuid(p.typeGuid) || p.typeGuid === ZERO_GUID) fail(`partition ${p.index} type "${p.typeGuid}" is not a non-zero GUID`, 'typeGuid', p.index)
    if (!isGuid(p.uniqueGuid) || p.uniqueGuid === ZERO_GUID) fail(`partition ${p.index} unique GUID "${p.uniqueGuid}" is not a non-zero GUID`, 'uniqueGuid', p.index)
    // Windows identifies volumes by these GUIDs; a duplicate makes it hide one of them.
    if (guids.has(p.uniqueGuid.toUpperCase())) fail(`partition ${p.index} unique GUID ${p.uniqueGuid} is used twice`, 'uniqueGuid', p.index)
    guids.add(p.uniqueGuid.toUpperCase())
    const nameProblem = gptNameProblem(p.name)
    if (nameProblem) fail(`partition ${p.index}: ${nameProblem}`, 'name', p.index)
    if (p.attributes < 0n || p.attributes >= 1n << 64n) fail(`partition ${p.index} attributes do not fit 64 bits`, 'attributes', p.index)
    if (p.firstLba < layout.firstUsableLba || partitionLastLba(p) > layout.lastUsableLba) {
      fail(`partition ${p.index} (LBA ${p.firstLba}..${partitionLastLba(p)}) is outside the usable LBAs ${layout.firstUsableLba}..${layout.lastUsableLba}`, 'firstLba', p.index)
    }
  }
}

function validateMbr(layout: MbrLayout, diskSectors: number, fail: Fail): void {
  if (!Number.isInteger(layout.diskSignature) || layout.diskSignature < 0 || layout.diskSignature >= 2 ** 32) {
    fail(`disk signature ${layout.diskSignature} does not fit 32 bits`, 'diskSignature')
  }
  if (layout.partitions.filter((p) => p.active).length > 1) fail('more than one partition is active', 'active')
  for (const p of layout.partitions) {
    if (!Number.isInteger(p.type) || p.type < 1 || p.type > 0xff) fail(`partition ${p.index} type ${p.type} is not a byte from 1 to 255`, 'type', p.index)
    if (p.type === GPT_PROTECTIVE_TYPE) fail(`partition ${p.index} has type 0xEE, which marks a GPT disk`, 'type', p.index)
    const end = Math.min(diskSectors, MBR_MAX_SECTORS)
    if (p.firstLba < 1 || partitionLastLba(p) >= end) fail(`partition ${p.index} (LBA ${p.firstLba}..${partitionLastLba(p)}) is outside LBA 1..${end - 1}`, 'firstLba', p.index)
  }
}
