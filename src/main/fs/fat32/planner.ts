/**
 * Plan a FAT32 volume before a byte is written: validate every name, size and time, give
 * each directory and file a contiguous run of clusters (directories first, then files, in
 * tree order) and settle the boot sector, FSInfo and FAT. All errors the input can cause
 * are raised here, so a write never starts on input that cannot fit.
 */
import { AppError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import type { BootSector } from './boot-sector'
import { NO_LABEL } from './boot-sector'
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
import { foldName, longNameProblem } from './names'
import { exactShortName, labelField, ShortNameTable, type ShortNameField } from './short-names'

export type FileContents = AsyncIterable<Uint8Array> | Iterable<Uint8Array>

/** One directory or file to put on the volume. Parent directories are created when not listed. */
export interface FatSourceEntry {
  /** '/'-separated path from the root, without a leading slash: 'sources/install.swm'. */
  path: string
  kind: 'file' | 'directory'
  /** Files: the exact number of bytes `open` yields. */
  size?: number
  modified?: Date
  /** Defaults to `modified`. */
  created?: Date
  /** Defaults to `modified`. */
  accessed?: Date
  /** Files: the contents, read once, when the writer reaches the file (a stream, or chunks in memory). */
  open?: () => FileContents
}

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

/** The largest file FAT32 can hold: its size is a 32-bit field. */
export const MAX_FILE_SIZE = 0xffffffff
/** Directory entries are numbered with 16 bits. */
const MAX_DIRECTORY_ENTRIES = 65536

interface PlannedNodeBase {
  /** The long name as given. */
  name: string
  path: string
  created: Date
  modified: Date
  accessed: Date
  shortName: ShortNameField
  caseFlags: number
  /** Stored as long-name entries when the short name cannot say it. */
  longName: string | undefined
  firstCluster: number
  clusterCount: number
}

export interface PlannedDirectory extends PlannedNodeBase {
  kind: 'directory'
  parent: PlannedDirectory | undefined
  children: PlannedNode[]
}

export interface PlannedFile extends PlannedNodeBase {
  kind: 'file'
  size: number
  open: () => FileContents
}

export type PlannedNode = PlannedDirectory | PlannedFile

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
  const now = options.now ?? new Date()
  checkDate(now, 'now')
  const label = options.label ? labelField(options.label) : undefined
  const hiddenSectors = checkUint32(options.hiddenSectors ?? 0, 'hiddenSectors')
  const volumeId = checkUint32(options.volumeId ?? volumeIdFrom(now), 'volumeId')

  const root = new TreeBuilder(now).build(options.entries)
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

/** Depth-first, parents before children, in input order. */
function* walk(directory: PlannedDirectory): Generator<PlannedNode> {
  yield directory
  for (const child of directory.children) {
    if (child.kind === 'directory') yield* walk(child)
    else yield child
  }
}

class TreeBuilder {
  private readonly byName = new Map<PlannedDirectory, Map<string, PlannedNode>>()
  /** Directories created only because something is inside them; a later entry may describe them. */
  private readonly implicit = new Set<PlannedDirectory>()

  constructor(private readonly now: Date) {}

  build(entries: Iterable<FatSourceEntry>): PlannedDirectory {
    const root = this.directory('', '', undefined, {})
    for (const entry of entries) this.add(root, entry)
    return root
  }

  private add(root: PlannedDirectory, entry: FatSourceEntry): void {
    const parts = typeof entry.path === 'string' ? entry.path.split('/') : []
    if (parts.length === 0 || parts.includes('')) {
      throw new AppError('VALIDATION', `Path "${String(entry.path)}" must be '/'-separated names without a leading or trailing slash`, { path: String(entry.path) })
    }
    let parent = root
    for (let i = 0; i < parts.length - 1; i++) parent = this.subdirectory(parent, parts.slice(0, i + 1).join('/'), parts[i]!, entry.path)
    const name = parts[parts.length - 1]!
    const existing = this.check(parent, name, entry.path)
    if (entry.kind === 'directory') {
      if (existing?.kind === 'directory' && this.implicit.delete(existing)) {
        Object.assign(existing, this.times(entry, entry.path))
        return
      }
      if (existing) throw duplicate(existing.path, entry.path)
      this.directory(name, entry.path, parent, entry)
      return
    }
    if (existing) throw duplicate(existing.path, entry.path)
    this.file(name, parent, entry)
  }

  /** The directory `name` in `parent`, created on first use. */
  private subdirectory(parent: PlannedDirectory, path: string, name: string, entryPath: string): PlannedDirectory {
    const existing = this.check(parent, name, path)
    if (existing?.kind === 'file') {
      throw new AppError('VALIDATION', `"${existing.path}" is a file, but "${entryPath}" is inside it`, { path: entryPath, file: existing.path })
    }
    if (existing) return existing
    const created = this.directory(name, path, parent, {})
    this.implicit.add(created)
    return created
  }

  /** Validate a name and return what already has it in `parent`, if anything. */
  private check(parent: PlannedDirectory, name: string, path: string): PlannedNode | undefined {
    const problem = longNameProblem(name)
    if (problem) throw new AppError('VALIDATION', `Cannot store "${path}" on FAT32: ${problem}`, { path })
    return this.byName.get(parent)!.get(foldName(name))
  }

  private directory(name: string, path: string, parent: PlannedDirectory | undefined, source: Partial<FatSourceEntry>): PlannedDirectory {
    const directory: PlannedDirectory = { kind: 'directory', ...this.node(name, path, source), parent, children: [] }
    this.byName.set(directory, new Map())
    if (parent) this.attach(parent, directory)
    return directory
  }

  private file(name: string, parent: PlannedDirectory, source: FatSourceEntry): void {
    const { path, size } = source
    if (size === undefined || !Number.isSafeInteger(size) || size < 0) {
      throw new AppError('VALIDATION', `File "${path}" needs a size in whole bytes, not ${String(size)}`, { path })
    }
    if (size > MAX_FILE_SIZE) {
      throw new AppError('VALIDATION', `File "${path}" is ${formatBytes(size)} (${size} bytes); a FAT32 file holds at most ${MAX_FILE_SIZE} bytes (4 GiB - 1)`, {
        path,
        size,
        maxSize: MAX_FILE_SIZE,
      })
    }
    if (size > 0 && !source.open) throw new AppError('VALIDATION', `File "${path}" has ${size} bytes but no way to read them`, { path })
    const open = source.open ?? (() => [])
    this.attach(parent, { kind: 'file', ...this.node(name, path, source), size, open })
  }

  private attach(parent: PlannedDirectory, child: PlannedNode): void {
    parent.children.push(child)
    this.byName.get(parent)!.set(foldName(child.name), child)
  }

  private node(name: string, path: string, source: Partial<FatSourceEntry>): PlannedNodeBase {
    return { name, path, ...this.times(source, path), shortName: '', caseFlags: 0, longName: undefined, firstCluster: 0, clusterCount: 0 }
  }

  private times(source: Partial<FatSourceEntry>, path: string): Pick<PlannedNodeBase, 'created' | 'modified' | 'accessed'> {
    const modified = checkDate(source.modified ?? this.now, path)
    return { modified, created: checkDate(source.created ?? modified, path), accessed: checkDate(source.accessed ?? modified, path) }
  }
}

function duplicate(first: string, second: string): AppError {
  return new AppError('VALIDATION', `"${first}" and "${second}" are the same name on FAT, which ignores case`, { path: second, otherPath: first })
}

function checkDate(date: Date, where: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new AppError('VALIDATION', `Invalid date for "${where}"`, { path: where })
  return date
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
