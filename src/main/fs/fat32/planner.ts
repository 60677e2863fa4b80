/**
 * Plan a FAT32 volume before a byte is written: build and check the tree, give every name
 * its 8.3 form, give each directory and file a contiguous run of clusters (directories
 * first, then files, in tree order) and settle the boot sector, FSInfo and FAT. All errors
 * the input can cause are raised here, so a write never starts on input that cannot fit.
 */
import { AppError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import { NO_LABEL, type BootSector } from './boot-sector'
import { ATTR_ARCHIVE, ATTR_DIRECTORY, ATTR_VOLUME_LABEL, ENTRY_SIZE } from './dir-entry'
import { entriesFor, type DirectoryRecord } from './directory'
import type { ContiguousChains } from './fat'
import { FSINFO_UNKNOWN, type FsInfo } from './fsinfo'
import {
  BACKUP_BOOT_SECTOR,
  computeGeometry,
  FAT_COUNT,
  FIRST_DATA_CLUSTER,
  FSINFO_SECTOR,
  RESERVED_SECTORS,
  ROOT_CLUSTER,
  SECTOR_SIZE,
  type Fat32Geometry,
} from './geometry'
import { exactShortName, labelField, ShortNameTable, type ShortNameField } from './short-names'
import { buildTree, checkDate, walk, type FatSourceEntry, type PlannedDirectory, type PlannedFile, type PlannedNode } from './tree'

export interface Fat32PlanOptions {
  /** Size of the region the volume fills. */
  sizeBytes: number
  label?: string
  /** Volume serial number; by default derived from `now`, as DOS and Windows format do. */
  volumeId?: number
  /** The partition's first LBA, for the BPB (0 for a volume that is a whole file). */
  hiddenSectors?: number
  /** Bytes per cluster; by default from Microsoft's table by volume size. */
  clusterSize?: number
  /** Time of the label and of entries without their own; by default the current time. */
  now?: Date
  entries: Iterable<FatSourceEntry>
}

/** Directory entries are numbered with 16 bits. */
const MAX_DIRECTORY_ENTRIES = 65536

export interface Fat32Plan {
  readonly geometry: Fat32Geometry
  readonly bootSector: BootSector
  readonly fsInfo: FsInfo
  readonly chains: ContiguousChains
  /** In cluster order; the root first. */
  readonly directories: readonly PlannedDirectory[]
  /** Files with contents, in cluster order. */
  readonly files: readonly PlannedFile[]
  readonly label: ShortNameField | undefined
  readonly labelTime: Date
  /** Everything the writer writes: reserved sectors, both FATs and the used clusters. */
  readonly bytesToWrite: number
}

export function planFat32(options: Fat32PlanOptions): Fat32Plan {
  const geometry = computeGeometry(options.sizeBytes, options.clusterSize)
  const now = checkDate(options.now ?? new Date(), 'now')
  const label = options.label ? labelField(options.label) : undefined
  const hiddenSectors = checkUint32(options.hiddenSectors ?? 0, 'hiddenSectors')
  const volumeId = checkUint32(options.volumeId ?? volumeIdFrom(now), 'volumeId')

  const root = buildTree(options.entries, now)
  const directories = [...walk(root)].filter((n): n is PlannedDirectory => n.kind === 'directory')
  for (const directory of directories) nameChildren(directory)

  // Allocation: one contiguous run per directory, then per non-empty file.
  const lastClusters: number[] = []
  let next = FIRST_DATA_CLUSTER
  const allocate = (node: PlannedNode, clusters: number) => {
    node.firstCluster = next
    node.clusterCount = clusters
    next += clusters
    lastClusters.push(next - 1)
  }
  for (const directory of directories) {
    const entries = directoryRecords(directory, label, now).reduce((sum, r) => sum + entriesFor(r.longName), 0)
    if (entries > MAX_DIRECTORY_ENTRIES) {
      throw new AppError('VALIDATION', `Directory "${directory.path || '/'}" needs ${entries} directory entries; FAT allows ${MAX_DIRECTORY_ENTRIES}`, {
        path: directory.path || '/',
        entries,
      })
    }
    allocate(directory, Math.max(1, Math.ceil((entries * ENTRY_SIZE) / geometry.clusterSize)))
  }
  const files = [...walk(root)].filter((n): n is PlannedFile => n.kind === 'file' && n.size > 0)
  for (const file of files) allocate(file, Math.ceil(file.size / geometry.clusterSize))

  const usedClusters = next - FIRST_DATA_CLUSTER
  if (usedClusters > geometry.clusterCount) {
    const needed = usedClusters * geometry.clusterSize
    const available = geometry.clusterCount * geometry.clusterSize
    throw new AppError('VALIDATION', `The files need ${formatBytes(needed)} in ${geometry.clusterSize}-byte clusters; the volume holds ${formatBytes(available)}`, {
      field: 'entries',
      neededBytes: needed,
      availableBytes: available,
    })
  }

  return {
    geometry,
    bootSector: {
      bytesPerSector: SECTOR_SIZE,
      sectorsPerCluster: geometry.sectorsPerCluster,
      reservedSectors: RESERVED_SECTORS,
      fatCount: FAT_COUNT,
      media: MEDIA_FIXED_DISK,
      hiddenSectors,
      totalSectors: geometry.totalSectors,
      fatSectors: geometry.fatSectors,
      extFlags: 0,
      rootCluster: ROOT_CLUSTER,
      fsInfoSector: FSINFO_SECTOR,
      backupBootSector: BACKUP_BOOT_SECTOR,
      volumeId,
      labelField: label ?? NO_LABEL,
    },
    fsInfo: {
      freeClusters: geometry.clusterCount - usedClusters,
      nextFreeCluster: usedClusters < geometry.clusterCount ? next : FSINFO_UNKNOWN,
    },
    chains: { media: MEDIA_FIXED_DISK, lastClusters: Uint32Array.from(lastClusters), end: next },
    directories,
    files,
    label,
    labelTime: now,
    bytesToWrite: geometry.dataOffset + usedClusters * geometry.clusterSize,
  }
}

const MEDIA_FIXED_DISK = 0xf8
const DOT = '.'.padEnd(11, ' ')
const DOT_DOT = '..'.padEnd(11, ' ')

/**
 * The records of a directory in on-disk order: the label (root) or '.' and '..' (others),
 * then the children. The planner counts entries with it and the writer encodes it, so the
 * two cannot disagree.
 */
export function directoryRecords(directory: PlannedDirectory, label: ShortNameField | undefined, labelTime: Date): DirectoryRecord[] {
  const records: DirectoryRecord[] = []
  const own = { attributes: ATTR_DIRECTORY, caseFlags: 0, created: directory.created, modified: directory.modified, accessed: directory.accessed, size: 0 }
  if (!directory.parent) {
    if (label) {
      records.push({ entry: { name: label, attributes: ATTR_VOLUME_LABEL, caseFlags: 0, created: labelTime, modified: labelTime, accessed: labelTime, firstCluster: 0, size: 0 }, longName: undefined })
    }
  } else {
    // '..' of a directory in the root says cluster 0, not the root's cluster.
    const parentCluster = directory.parent.parent ? directory.parent.firstCluster : 0
    records.push({ entry: { ...own, name: DOT, firstCluster: directory.firstCluster }, longName: undefined })
    records.push({ entry: { ...own, name: DOT_DOT, firstCluster: parentCluster }, longName: undefined })
  }
  for (const child of directory.children) {
    records.push({
      entry: {
        name: child.shortName,
        attributes: child.kind === 'directory' ? ATTR_DIRECTORY : ATTR_ARCHIVE,
        caseFlags: child.caseFlags,
        created: child.created,
        modified: child.modified,
        accessed: child.accessed,
        firstCluster: child.firstCluster,
        size: child.kind === 'file' ? child.size : 0,
      },
      longName: child.longName,
    })
  }
  return records
}

/** Exact 8.3 names are reserved first, so a generated ~N name never takes one of them. */
function nameChildren(directory: PlannedDirectory): void {
  const table = new ShortNameTable()
  const needTail: PlannedNode[] = []
  for (const child of directory.children) {
    const exact = exactShortName(child.name)
    if (!exact) {
      needTail.push(child)
      continue
    }
    table.claim(exact.field)
    child.shortName = exact.field
    child.caseFlags = exact.caseFlags
    child.longName = exact.needsLongName ? child.name : undefined
  }
  for (const child of needTail) {
    child.shortName = table.generate(child.name)
    child.longName = child.name
  }
}

function checkUint32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new AppError('VALIDATION', `${field} must be a 32-bit unsigned number, not ${value}`, { field })
  return value
}

/** DOS's serial number: date and time words added pairwise (fatgen leaves the method open). */
function volumeIdFrom(now: Date): number {
  const high = ((now.getUTCHours() << 8) | now.getUTCMinutes()) + now.getUTCFullYear()
  const low = (((now.getUTCMonth() + 1) << 8) | now.getUTCDate()) + ((now.getUTCSeconds() << 8) | Math.floor(now.getUTCMilliseconds() / 10))
  return (((high & 0xffff) << 16) | (low & 0xffff)) >>> 0
}
