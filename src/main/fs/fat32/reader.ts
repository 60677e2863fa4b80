/**
 * A small reader of FAT32 volumes, ours or any tool's: list a directory, stat a path, read
 * a file. It trusts nothing it reads: every cluster number is range-checked, every chain is
 * bounded (a directory by the 65536-entry limit, a file by its size), so a corrupt volume
 * gives a CORRUPT error naming the structure and offset, never a hang or a huge allocation.
 */
import { AppError } from '../../../shared/errors'
import type { ByteTarget } from '../../disk/byte-target'
import { decodeBootSector, NO_LABEL, type BootSector } from './boot-sector'
import { corrupt } from './corrupt'
import { ATTR_DIRECTORY, ATTR_VOLUME_LABEL, ENTRY_SIZE } from './dir-entry'
import { decodeDirectory, type DecodedRecord } from './directory'
import { decodeFatEntry } from './fat'
import { decodeFsInfo } from './fsinfo'
import { clusterOffset, describeLayout, FAT_ENTRY_SIZE, FIRST_DATA_CLUSTER, type Fat32Geometry } from './geometry'
import { foldName } from './names'
import { displayShortName } from './short-names'

export interface Fat32Entry {
  /** The long name, or the short name when there is none. */
  name: string
  /** The 8.3 name as a person would type it, NT case flags applied. */
  shortName: string
  /** '/'-separated from the root; '' for the root. */
  path: string
  kind: 'file' | 'directory'
  size: number
  firstCluster: number
  attributes: number
  created: Date
  modified: Date
  accessed: Date
  /** Byte offset of its directory entry in the target; undefined for the root. */
  entryOffset: number | undefined
}

export interface Fat32VolumeInfo {
  label: string | undefined
  volumeId: number
  bytesPerSector: number
  clusterSize: number
  clusterCount: number
  sizeBytes: number
  hiddenSectors: number
  /** The FSInfo hint; undefined when absent or impossible. */
  freeClusters: number | undefined
}

/** A run of a file's bytes in the target: `length` bytes at absolute byte `offset`. */
export interface FileExtent {
  offset: number
  length: number
}

export interface Fat32Volume {
  readonly info: Fat32VolumeInfo
  /** The entries of a directory, without '.', '..' and the label. */
  list(path?: string): Promise<Fat32Entry[]>
  stat(path: string): Promise<Fat32Entry>
  /** A file's contents in chunks, by path, or by an entry a listing gave (no lookup then). */
  read(file: string | Fat32Entry): AsyncIterable<Uint8Array>
  /**
   * Where a file's bytes lie in the target, in file order, in runs of at most MAX_EXTENT_BYTES: for a
   * caller that reads them into buffers of its own. The chain is checked as for `read`.
   */
  extents(file: string | Fat32Entry): AsyncIterable<FileExtent>
}

/** Directories hold at most 65536 entries. */
const MAX_DIRECTORY_BYTES = 65536 * ENTRY_SIZE
/** Consecutive clusters are read together, up to this much at once: the most an extent holds. */
export const MAX_EXTENT_BYTES = 1024 * 1024
const FAT_WINDOW_BYTES = 64 * 1024
const FAT_WINDOWS_CACHED = 4

export async function openFat32(target: ByteTarget, offset: number): Promise<Fat32Volume> {
  const head = new Uint8Array(512)
  const read = await target.read(head, offset)
  const boot = decodeBootSector(head.subarray(0, read), { target: target.name, offset })
  const geometry = describeLayout(boot)
  const sizeBytes = geometry.totalSectors * geometry.bytesPerSector
  if (offset + sizeBytes > target.size) {
    throw corrupt('FAT32 boot sector', { target: target.name, offset }, `the volume is ${sizeBytes} bytes, but ${target.name} has only ${target.size - offset} from there`)
  }
  const reader = new VolumeReader(target, offset, boot, geometry)
  const info = await reader.describe()
  return { info, list: (path) => reader.list(path), stat: (path) => reader.stat(path), read: (file) => reader.read(file), extents: (file) => reader.extents(file) }
}

interface ClusterRun {
  first: number
  count: number
}

class VolumeReader {
  private readonly fatStart: number
  private readonly fatWindows = new Map<number, DataView>()
  private readonly root: Fat32Entry
  private readonly volumeBytes: number

  constructor(
    private readonly target: ByteTarget,
    private readonly offset: number,
    private readonly boot: BootSector,
    private readonly geometry: Fat32Geometry,
  ) {
    const activeFat = boot.extFlags & 0x80 ? boot.extFlags & 0x0f : 0
    this.fatStart = geometry.fatOffset + activeFat * geometry.fatBytes
    this.volumeBytes = geometry.totalSectors * geometry.bytesPerSector
    const epoch = new Date(Date.UTC(1980, 0, 1))
    this.root = {
      name: '',
      shortName: '',
      path: '',
      kind: 'directory',
      size: 0,
      firstCluster: boot.rootCluster,
      attributes: ATTR_DIRECTORY,
      created: epoch,
      modified: epoch,
      accessed: epoch,
      entryOffset: undefined,
    }
  }

  async describe(): Promise<Fat32VolumeInfo> {
    const { boot, geometry } = this
    const rootRecords = await this.records(this.root)
    const labelRecord = rootRecords.find((r) => isLabel(r.entry.attributes))
    const labelField = labelRecord?.entry.name ?? (boot.labelField === NO_LABEL ? undefined : boot.labelField)
    let freeClusters: number | undefined
    if (boot.fsInfoSector > 0 && boot.fsInfoSector < boot.reservedSectors) {
      const fsInfo = decodeFsInfo(await this.readVolume(boot.fsInfoSector * boot.bytesPerSector, 512, 'FSInfo sector'))
      if (fsInfo && fsInfo.freeClusters <= geometry.clusterCount) freeClusters = fsInfo.freeClusters
    }
    return {
      label: labelField?.trimEnd() || undefined,
      volumeId: boot.volumeId,
      bytesPerSector: boot.bytesPerSector,
      clusterSize: geometry.clusterSize,
      clusterCount: geometry.clusterCount,
      sizeBytes: this.volumeBytes,
      hiddenSectors: boot.hiddenSectors,
      freeClusters,
    }
  }

  async list(path = ''): Promise<Fat32Entry[]> {
    const directory = await this.stat(path)
    if (directory.kind !== 'directory') throw new AppError('VALIDATION', `${this.target.name}: "${path}" is a file, not a directory`, { path })
    return this.children(directory)
  }

  async stat(path: string): Promise<Fat32Entry> {
    let current = this.root
    for (const part of path.split('/').filter((p) => p !== '')) {
      const key = foldName(part)
      const found = current.kind === 'directory' ? (await this.children(current)).find((e) => foldName(e.name) === key || foldName(e.shortName) === key) : undefined
      if (!found) throw new AppError('NOT_FOUND', `${this.target.name}: no "${path}" on the volume`, { path })
      current = found
    }
    return current
  }

  async *read(which: string | Fat32Entry): AsyncGenerator<Uint8Array> {
    const file = await this.file(which)
    for await (const extent of this.extents(file)) yield await this.readVolume(extent.offset - this.offset, extent.length, `data of "${file.path}"`)
  }

  async *extents(which: string | Fat32Entry): AsyncGenerator<FileExtent> {
    const file = await this.file(which)
    if (file.size === 0) return
    const clusters = Math.ceil(file.size / this.geometry.clusterSize)
    let remaining = file.size
    for await (const run of this.runs(file.firstCluster, clusters, true, file)) {
      const length = Math.min(remaining, run.count * this.geometry.clusterSize)
      remaining -= length
      yield { offset: this.offset + clusterOffset(this.geometry, run.first), length }
    }
  }

  private async file(which: string | Fat32Entry): Promise<Fat32Entry> {
    const file = typeof which === 'string' ? await this.stat(which) : which
    if (file.kind !== 'file') throw new AppError('VALIDATION', `${this.target.name}: "${file.path}" is a directory, not a file`, { path: file.path })
    return file
  }

  private async children(directory: Fat32Entry): Promise<Fat32Entry[]> {
    const entries: Fat32Entry[] = []
    for (const { entry, longName, offset } of await this.records(directory)) {
      if (isLabel(entry.attributes) || entry.name.startsWith('.')) continue
      const shortName = displayShortName(entry.name, entry.caseFlags)
      const name = longName ?? shortName
      entries.push({
        name,
        shortName,
        path: directory.path ? `${directory.path}/${name}` : name,
        kind: entry.attributes & ATTR_DIRECTORY ? 'directory' : 'file',
        size: entry.attributes & ATTR_DIRECTORY ? 0 : entry.size,
        firstCluster: entry.firstCluster,
        attributes: entry.attributes,
        created: entry.created,
        modified: entry.modified,
        accessed: entry.accessed,
        entryOffset: offset,
      })
    }
    return entries
  }

  /** A directory's records, with each offset made absolute in the target. */
  private async records(directory: Fat32Entry): Promise<DecodedRecord[]> {
    const maxClusters = Math.min(this.geometry.clusterCount, Math.ceil(MAX_DIRECTORY_BYTES / this.geometry.clusterSize))
    const runs: ClusterRun[] = []
    for await (const run of this.runs(directory.firstCluster, maxClusters, false, directory)) runs.push(run)
    // One buffer for the whole directory: a long name may run across a cluster boundary.
    const bytes = new Uint8Array(runs.reduce((sum, run) => sum + run.count, 0) * this.geometry.clusterSize)
    const runStarts: number[] = []
    let filled = 0
    for (const run of runs) {
      runStarts.push(filled)
      bytes.set(await this.readClusters(run, directory), filled)
      filled += run.count * this.geometry.clusterSize
    }
    return decodeDirectory(bytes).map((record) => {
      const i = runStarts.findLastIndex((start) => start <= record.offset)
      return { ...record, offset: this.offset + clusterOffset(this.geometry, runs[i]!.first) + record.offset - runStarts[i]! }
    })
  }

  /**
   * The chain from `first` as runs of consecutive clusters. At most `maxClusters` (exactly
   * that many when `exact`), so a loop ends as an error.
   */
  private async *runs(first: number, maxClusters: number, exact: boolean, owner: Fat32Entry): AsyncGenerator<ClusterRun> {
    const maxRun = Math.max(1, Math.floor(MAX_EXTENT_BYTES / this.geometry.clusterSize))
    const lastCluster = this.geometry.clusterCount + FIRST_DATA_CLUSTER - 1
    const what = owner.path ? `"${owner.path}"` : 'the root directory'
    if (first < FIRST_DATA_CLUSTER || first > lastCluster) {
      throw corrupt('directory entry', { target: this.target.name, offset: owner.entryOffset ?? this.offset }, `${what} starts at cluster ${first}, outside 2..${lastCluster}`)
    }
    let run: ClusterRun = { first, count: 1 }
    let cluster = first
    for (let seen = 1; ; seen++) {
      const at = { target: this.target.name, offset: this.offset + this.fatStart + cluster * FAT_ENTRY_SIZE }
      // Most entries are in a window already read: no await for them, which a 2 GiB file's half a million clusters would feel.
      const link = decodeFatEntry(this.cachedFatEntry(cluster) ?? (await this.fatEntry(cluster)))
      if (link.kind === 'end') {
        if (exact && seen < maxClusters) throw corrupt('FAT', at, `the cluster chain of ${what} ends after ${seen} clusters; its size needs ${maxClusters}`)
        yield run
        return
      }
      if (link.kind !== 'next') throw corrupt('FAT', at, `cluster ${cluster} of ${what} is followed by a ${link.kind} entry`)
      if (link.cluster > lastCluster) throw corrupt('FAT', at, `cluster ${cluster} of ${what} points to cluster ${link.cluster}, past the last cluster ${lastCluster}`)
      if (seen >= maxClusters) throw corrupt('FAT', at, `the cluster chain of ${what} goes on past ${maxClusters} clusters: a loop, or longer than its size`)
      if (link.cluster === cluster + 1 && run.count < maxRun) run.count++
      else {
        yield run
        run = { first: link.cluster, count: 1 }
      }
      cluster = link.cluster
    }
  }

  private readClusters(run: ClusterRun, owner: Fat32Entry): Promise<Uint8Array> {
    return this.readVolume(clusterOffset(this.geometry, run.first), run.count * this.geometry.clusterSize, `data of "${owner.path}"`)
  }

  private cachedFatEntry(cluster: number): number | undefined {
    const byte = cluster * FAT_ENTRY_SIZE
    return this.fatWindows.get(Math.floor(byte / FAT_WINDOW_BYTES))?.getUint32(byte % FAT_WINDOW_BYTES, true)
  }

  private async fatEntry(cluster: number): Promise<number> {
    const index = Math.floor((cluster * FAT_ENTRY_SIZE) / FAT_WINDOW_BYTES)
    if (!this.fatWindows.has(index)) {
      const start = index * FAT_WINDOW_BYTES
      const bytes = await this.readVolume(this.fatStart + start, Math.min(FAT_WINDOW_BYTES, this.geometry.fatBytes - start), 'FAT')
      if (this.fatWindows.size >= FAT_WINDOWS_CACHED) this.fatWindows.delete(this.fatWindows.keys().next().value!)
      this.fatWindows.set(index, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    }
    return this.cachedFatEntry(cluster)!
  }

  /** `length` bytes at `start` within the volume; a short read means the target is truncated. */
  private async readVolume(start: number, length: number, structure: string): Promise<Uint8Array> {
    const at = { target: this.target.name, offset: this.offset + start }
    if (start < 0 || start + length > this.volumeBytes) throw corrupt(structure, at, `${length} bytes would reach past the end of the volume`)
    const bytes = new Uint8Array(length)
    const read = await this.target.read(bytes, this.offset + start)
    if (read < length) throw corrupt(structure, at, `the target ends after ${read} of ${length} bytes`)
    return bytes
  }
}

function isLabel(attributes: number): boolean {
  return (attributes & (ATTR_VOLUME_LABEL | ATTR_DIRECTORY)) === ATTR_VOLUME_LABEL
}
