/**
 * Where everything of a FAT32 volume goes: sectors, cluster size, FAT size, cluster count.
 * The figures follow Microsoft's FAT specification (fatgen103); everything is relative to
 * the start of the volume.
 */
import { AppError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'

export const SECTOR_SIZE = 512
export const RESERVED_SECTORS = 32
export const FAT_COUNT = 2
export const FSINFO_SECTOR = 1
export const BACKUP_BOOT_SECTOR = 6
/** Clusters 0 and 1 exist only as FAT entries; the data region starts with cluster 2. */
export const FIRST_DATA_CLUSTER = 2
export const ROOT_CLUSTER = FIRST_DATA_CLUSTER
/** Drivers tell FAT types apart by cluster count alone: below this a volume is FAT16 to all of them. */
export const MIN_CLUSTERS = 65525
/** Cluster numbers from 0x0FFFFFF7 up are the bad and end-of-chain markers. */
const MAX_CLUSTERS = 0x0ffffff5
const MAX_SECTORS = 0xffffffff
const MIN_CLUSTER_SIZE = 512
const MAX_CLUSTER_SIZE = 65536
export const FAT_ENTRY_SIZE = 4

export interface Fat32Geometry {
  bytesPerSector: number
  totalSectors: number
  sectorsPerCluster: number
  clusterSize: number
  fatSectors: number
  /** Data clusters, numbered 2 .. clusterCount + 1. */
  clusterCount: number
  /** Byte offset of the first FAT. */
  fatOffset: number
  fatBytes: number
  /** Byte offset of cluster 2. */
  dataOffset: number
}

/**
 * fatgen103's DskTableFAT32, by volume size in sectors. Below 260 MiB it uses 512-byte
 * clusters; Windows' later table (KB140365) differs only there, and picks sizes that can
 * leave fewer than MIN_CLUSTERS clusters near its boundaries, which fatgen's cannot.
 */
const DEFAULT_CLUSTER_TABLE: ReadonlyArray<readonly [maxSectors: number, clusterSize: number]> = [
  [532_480, 512],
  [16_777_216, 4096],
  [33_554_432, 8192],
  [67_108_864, 16384],
  [Infinity, 32768],
]

function defaultClusterSize(totalSectors: number): number {
  return DEFAULT_CLUSTER_TABLE.find(([maxSectors]) => totalSectors <= maxSectors)![1]
}

/**
 * FAT sectors for a volume: the smallest size whose entries cover every cluster it leaves
 * room for, then aligned.
 */
function fatSectorsFor(totalSectors: number, sectorsPerCluster: number): number {
  const entriesPerSector = SECTOR_SIZE / FAT_ENTRY_SIZE
  // entriesPerSector * F >= clusters + 2, with clusters = (total - reserved - FAT_COUNT * F) / spc
  return alignedFatSectors(Math.ceil((totalSectors - RESERVED_SECTORS + 2 * sectorsPerCluster) / (entriesPerSector * sectorsPerCluster + FAT_COUNT)), sectorsPerCluster)
}

/**
 * Grow the FAT so the data region starts on a cluster boundary. Aligned clusters keep each
 * cluster inside one flash page when the partition itself is aligned, as mkfs.fat and
 * Windows also arrange.
 */
function alignedFatSectors(fatSectors: number, sectorsPerCluster: number): number {
  let aligned = fatSectors
  while ((RESERVED_SECTORS + FAT_COUNT * aligned) % sectorsPerCluster !== 0) aligned++
  return aligned
}

/** The fields of a boot sector that place things, ours or another tool's. */
export interface LayoutFields {
  bytesPerSector: number
  sectorsPerCluster: number
  reservedSectors: number
  fatCount: number
  fatSectors: number
  totalSectors: number
}

export function describeLayout(f: LayoutFields): Fat32Geometry {
  const dataSectors = f.reservedSectors + f.fatCount * f.fatSectors
  return {
    bytesPerSector: f.bytesPerSector,
    totalSectors: f.totalSectors,
    sectorsPerCluster: f.sectorsPerCluster,
    clusterSize: f.sectorsPerCluster * f.bytesPerSector,
    fatSectors: f.fatSectors,
    clusterCount: Math.max(0, Math.floor((f.totalSectors - dataSectors) / f.sectorsPerCluster)),
    fatOffset: f.reservedSectors * f.bytesPerSector,
    fatBytes: f.fatSectors * f.bytesPerSector,
    dataOffset: dataSectors * f.bytesPerSector,
  }
}

function layout(totalSectors: number, clusterSize: number): Fat32Geometry {
  const sectorsPerCluster = clusterSize / SECTOR_SIZE
  return describeLayout({
    bytesPerSector: SECTOR_SIZE,
    sectorsPerCluster,
    reservedSectors: RESERVED_SECTORS,
    fatCount: FAT_COUNT,
    fatSectors: fatSectorsFor(totalSectors, sectorsPerCluster),
    totalSectors,
  })
}

/** The smallest volume that holds MIN_CLUSTERS clusters of this size. */
export function minimumVolumeBytes(clusterSize: number): number {
  const sectorsPerCluster = clusterSize / SECTOR_SIZE
  const fatSectors = alignedFatSectors(Math.ceil(((MIN_CLUSTERS + 2) * FAT_ENTRY_SIZE) / SECTOR_SIZE), sectorsPerCluster)
  return (RESERVED_SECTORS + FAT_COUNT * fatSectors + MIN_CLUSTERS * sectorsPerCluster) * SECTOR_SIZE
}

/** The layout of a FAT32 volume of `sizeBytes`, or a VALIDATION error saying why there is none. */
export function computeGeometry(sizeBytes: number, clusterSize?: number): Fat32Geometry {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) {
    throw new AppError('VALIDATION', `Volume size must be a positive whole number of bytes, not ${sizeBytes}`, { field: 'sizeBytes' })
  }
  const totalSectors = Math.floor(sizeBytes / SECTOR_SIZE)
  if (totalSectors > MAX_SECTORS) {
    throw new AppError('VALIDATION', `A FAT32 volume holds at most ${formatBytes(MAX_SECTORS * SECTOR_SIZE)} with 512-byte sectors; this one is ${formatBytes(sizeBytes)}`, {
      field: 'sizeBytes',
      sizeBytes,
      maxBytes: MAX_SECTORS * SECTOR_SIZE,
    })
  }
  if (clusterSize !== undefined && !isValidClusterSize(clusterSize)) {
    throw new AppError('VALIDATION', `Cluster size must be a power of two from 512 to 65536 bytes, not ${clusterSize}`, { field: 'clusterSize', clusterSize })
  }
  const chosen = clusterSize ?? defaultClusterSize(totalSectors)
  const geometry = layout(totalSectors, chosen)
  if (geometry.clusterCount < MIN_CLUSTERS) {
    // Without an explicit size the smallest cluster gives the smallest possible volume.
    const minimum = minimumVolumeBytes(clusterSize ?? MIN_CLUSTER_SIZE)
    throw new AppError(
      'VALIDATION',
      `A FAT32 volume${clusterSize ? ` with ${clusterSize}-byte clusters` : ''} needs at least ${minimum} bytes (${formatBytes(minimum)}) for ${MIN_CLUSTERS} clusters; this region is ${sizeBytes} bytes`,
      { field: 'sizeBytes', sizeBytes, minimumBytes: minimum },
    )
  }
  if (geometry.clusterCount > MAX_CLUSTERS) {
    throw new AppError('VALIDATION', `${chosen}-byte clusters are too small for a ${formatBytes(sizeBytes)} FAT32 volume (more than ${MAX_CLUSTERS} clusters)`, {
      field: 'clusterSize',
      clusterSize: chosen,
    })
  }
  return geometry
}

function isValidClusterSize(size: number): boolean {
  return Number.isInteger(size) && size >= MIN_CLUSTER_SIZE && size <= MAX_CLUSTER_SIZE && (size & (size - 1)) === 0
}

/** Byte offset of a data cluster from the start of the volume. */
export function clusterOffset(geometry: Pick<Fat32Geometry, 'dataOffset' | 'clusterSize'>, cluster: number): number {
  return geometry.dataOffset + (cluster - FIRST_DATA_CLUSTER) * geometry.clusterSize
}
