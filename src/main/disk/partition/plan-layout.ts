import { randomInt } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import { gptNameProblem } from './gpt-entries'
import { gptGeometry } from './gpt-geometry'
import { randomGuid } from './guid'
import {
  SECTOR_SIZES,
  type DiskLayout,
  type FileSystemKind,
  type GptLayout,
  type GptPartition,
  type LayoutKind,
  type MbrLayout,
  type MbrPartition,
  type PartitionRole,
  type SectorSize,
} from './layout'
import { MBR_MAX_SECTORS } from './mbr-sector'
import { GPT_ATTRIBUTE, GPT_TYPE, MBR_TYPE } from './partition-types'

/**
 * The standard layouts, after Microsoft's deployment guidance ("UEFI/GPT-based" and
 * "BIOS/MBR-based hard drive partitions"), every partition starting and ending on a 1 MiB
 * boundary (the first at 1 MiB, as Windows does).
 *
 * Sizing policy: the system partitions keep fixed sizes on every disk and the Windows (or
 * USB data) partition takes the rest.
 * - EFI System 260 MiB: Microsoft's minimum on 4K-native disks (FAT32 needs 65,527 clusters
 *   of at least one sector), so one size fits both sector sizes.
 * - MSR 16 MiB, System Reserved 500 MiB: as documented.
 * - Recovery 1 GiB at the end of the disk, never shrunk or dropped: WinRE is ~600 MB and its
 *   own servicing updates need free space in the partition (updates failed on the smaller
 *   partitions older layouts made). A disk without room for it is refused.
 * - Windows at least 16 GiB, the least storage any supported Windows client asks for; a
 *   smaller disk is refused with the minimum size in the error.
 * - USB data partition at least 260 MiB (FAT32 on 4K sectors) and at most what FAT32's
 *   32-bit sector count addresses; anything beyond stays unallocated.
 * - MBR layouts use at most 2^32 sectors (2 TiB at 512 bytes): partitions end there and the
 *   rest of a larger disk stays unallocated, as Windows does on MBR disks.
 */
export interface PlanOptions {
  sectorSize?: SectorSize
  /** The GPT partition name of the usb-uefi data partition (at most 36 characters). */
  label?: string
}

const MiB = 1024 * 1024
const GiB = 1024 * MiB
const FAT32_MAX_SECTORS = 2 ** 32 - 1
const DEFAULT_USB_LABEL = 'IMAGING'

type Size = { fixedBytes: number } | { restMinBytes: number; restMaxBytes: number }

interface Spec<Entry> {
  role: PartitionRole
  fileSystem: FileSystemKind
  size: Size
  entry: Entry
}

type GptSpec = Spec<Pick<GptPartition, 'typeGuid' | 'name' | 'attributes'>>
type MbrSpec = Spec<Pick<MbrPartition, 'type' | 'active'>>

const WINDOWS_SIZE: Size = { restMinBytes: 16 * GiB, restMaxBytes: Number.MAX_SAFE_INTEGER }
const RECOVERY_SIZE: Size = { fixedBytes: 1 * GiB }

const UEFI: GptSpec[] = [
  { role: 'esp', fileSystem: 'fat32', size: { fixedBytes: 260 * MiB }, entry: { typeGuid: GPT_TYPE.esp, name: 'EFI system partition', attributes: 0n } },
  { role: 'msr', fileSystem: 'none', size: { fixedBytes: 16 * MiB }, entry: { typeGuid: GPT_TYPE.msr, name: 'Microsoft reserved partition', attributes: 0n } },
  { role: 'windows', fileSystem: 'ntfs', size: WINDOWS_SIZE, entry: { typeGuid: GPT_TYPE.basicData, name: 'Windows', attributes: 0n } },
  {
    role: 'recovery',
    fileSystem: 'ntfs',
    size: RECOVERY_SIZE,
    entry: { typeGuid: GPT_TYPE.windowsRecovery, name: 'Recovery', attributes: GPT_ATTRIBUTE.platformRequired | GPT_ATTRIBUTE.noDriveLetter },
  },
]

const BIOS: MbrSpec[] = [
  { role: 'system', fileSystem: 'ntfs', size: { fixedBytes: 500 * MiB }, entry: { type: MBR_TYPE.ntfs, active: true } },
  { role: 'windows', fileSystem: 'ntfs', size: WINDOWS_SIZE, entry: { type: MBR_TYPE.ntfs, active: false } },
  { role: 'recovery', fileSystem: 'ntfs', size: RECOVERY_SIZE, entry: { type: MBR_TYPE.windowsRecovery, active: false } },
]

/** FAT32 from its 4K-sector minimum to what its 32-bit sector count reaches. */
function usbDataSize(sectorSize: SectorSize): Size {
  return { restMinBytes: 260 * MiB, restMaxBytes: alignDown(FAT32_MAX_SECTORS * sectorSize, MiB) }
}

export function planLayout(kind: LayoutKind, diskSizeBytes: number, options: PlanOptions = {}): DiskLayout {
  const sectorSize = options.sectorSize ?? 512
  if (!SECTOR_SIZES.includes(sectorSize)) {
    throw new AppError('VALIDATION', `Sector size ${String(sectorSize)} is not supported (512 or 4096)`, { field: 'sectorSize' })
  }
  if (!Number.isSafeInteger(diskSizeBytes) || diskSizeBytes <= 0) {
    throw new AppError('VALIDATION', `Disk size ${diskSizeBytes} is not a positive whole number of bytes`, { field: 'diskSizeBytes' })
  }
  if (options.label !== undefined && kind !== 'usb-uefi') {
    throw new AppError(
      'VALIDATION',
      `A label names the GPT partition of the usb-uefi layout; the ${kind} layout has no place for it (an MBR stores no names: give the volume label to the formatter)`,
      { field: 'label', kind },
    )
  }
  const disk = { kind, diskSizeBytes, sectorSize }
  switch (kind) {
    case 'uefi':
      return gptLayout(disk, UEFI)
    case 'usb-uefi': {
      const name = options.label ?? DEFAULT_USB_LABEL
      const problem = gptNameProblem(name)
      if (problem) throw new AppError('VALIDATION', problem, { field: 'label' })
      return gptLayout(disk, [{ role: 'data', fileSystem: 'fat32', size: usbDataSize(sectorSize), entry: { typeGuid: GPT_TYPE.basicData, name, attributes: 0n } }])
    }
    case 'bios':
      return mbrLayout(disk, BIOS)
    case 'usb-bios-uefi':
      return mbrLayout(disk, [{ role: 'data', fileSystem: 'fat32', size: usbDataSize(sectorSize), entry: { type: MBR_TYPE.fat32Lba, active: true } }])
    default:
      // Reachable from an untyped caller (a request that skipped schema validation).
      throw new AppError('VALIDATION', `Unknown layout "${String(kind)}" (uefi, bios, usb-uefi or usb-bios-uefi)`, { field: 'kind' })
  }
}

interface Disk {
  kind: LayoutKind
  diskSizeBytes: number
  sectorSize: SectorSize
}

function gptLayout(disk: Disk, specs: GptSpec[]): GptLayout {
  const geometry = gptGeometry(Math.floor(disk.diskSizeBytes / disk.sectorSize), disk.sectorSize)
  const end = alignDown((geometry.lastUsableLba + 1) * disk.sectorSize, MiB)
  const backupBytes = (geometry.arraySectors + 1) * disk.sectorSize
  const partitions = place(disk, specs, end, backupBytes)
  return {
    table: 'gpt',
    kind: disk.kind,
    sectorSize: disk.sectorSize,
    diskSizeBytes: disk.diskSizeBytes,
    diskGuid: randomGuid(),
    firstUsableLba: geometry.firstUsableLba,
    lastUsableLba: geometry.lastUsableLba,
    partitions: partitions.map((p) => ({ ...p, uniqueGuid: randomGuid() })),
  }
}

function mbrLayout(disk: Disk, specs: MbrSpec[]): MbrLayout {
  const end = alignDown(Math.min(Math.floor(disk.diskSizeBytes / disk.sectorSize), MBR_MAX_SECTORS) * disk.sectorSize, MiB)
  return {
    table: 'mbr',
    kind: disk.kind,
    sectorSize: disk.sectorSize,
    diskSizeBytes: disk.diskSizeBytes,
    // Zero means "no signature" to Windows, which would then write one of its own.
    diskSignature: randomInt(1, 2 ** 32),
    partitions: place(disk, specs, end, 0),
  }
}

/**
 * The specs' partitions in order from 1 MiB, numbered from 1; the one rest-sized spec takes
 * what the fixed ones leave below `end`. `tableTailBytes` is what the table itself keeps
 * after the last partition, counted in the minimum disk size.
 */
function place<Entry>(disk: Disk, specs: Spec<Entry>[], end: number, tableTailBytes: number) {
  const fixed = specs.reduce((sum, s) => sum + ('fixedBytes' in s.size ? s.size.fixedBytes : 0), 0)
  const rest = specs.map((s) => s.size).find((s) => 'restMinBytes' in s)
  const restMin = rest ? rest.restMinBytes : 0
  if (end - MiB < fixed + restMin) {
    const minimumBytes = MiB + fixed + restMin + tableTailBytes
    throw new AppError(
      'VALIDATION',
      `The disk (${formatBytes(disk.diskSizeBytes)}) is too small for the ${disk.kind} layout: it needs at least ${formatBytes(minimumBytes)} (${minimumBytes} bytes)`,
      { kind: disk.kind, diskSizeBytes: disk.diskSizeBytes, minimumBytes },
    )
  }
  const restBytes = rest ? Math.min(end - MiB - fixed, rest.restMaxBytes) : 0
  let offset = MiB
  return specs.map((spec, i) => {
    const size = 'fixedBytes' in spec.size ? spec.size.fixedBytes : restBytes
    const partition = {
      index: i + 1,
      firstLba: offset / disk.sectorSize,
      sectorCount: size / disk.sectorSize,
      role: spec.role,
      fileSystem: spec.fileSystem,
      ...spec.entry,
    }
    offset += size
    return partition
  })
}

function alignDown(value: number, unit: number): number {
  return Math.floor(value / unit) * unit
}
