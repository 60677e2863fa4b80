import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { PositionalContents } from '../fs/fat32'
import type { SourceTree } from '../fs/source-tree'
import { FileReader } from '../io/random-access'
import { stepContext, type OperationContext } from '../jobs/operation-context'
import type { WorkerPool } from '../jobs/worker-pool'
import type { WimArchive } from '../wim/archive'
import type { BlobEntry } from '../wim/blob-table'
import { readImagesAndBlobs } from '../wim/image-blobs'
import { EXPORT_PHASES, exportImages } from '../wim/write/export'
import { splitWim } from '../wim/write/split'
import { openInstallImage, type WindowsMedia } from './windows-media'

/** FAT32 holds files up to 4 GiB − 1. */
export const FAT32_MAX_FILE = 4 * 1024 * 1024 * 1024 - 1
/** Parts a little under the limit, as Microsoft's tools make them. */
const SPLIT_MARGIN = 64 * 1024 * 1024

export interface InstallFile {
  /** File name in sources/ on the medium. */
  name: string
  size: number
  open(): Promise<PositionalContents>
}

export interface PreparedInstall {
  files: InstallFile[]
  /** What was done to the install image, in words, for the log and the summary. */
  action: string
  cleanup(): Promise<void>
}

export interface PrepareOptions {
  /** Editions to keep (indexes or names); all when absent. */
  editions?: Array<number | string>
  /** Largest file the medium can hold; FAT32's limit unless a test asks for less. */
  maxFileBytes?: number
  /** Where the exported or split image is written before it goes onto the medium. */
  tempRoot: string
  pool: WorkerPool
  ctx: OperationContext
}

/** How much larger LZX chunks are than LZMS solid resources of the same data, roughly: for estimates only. */
const LZX_OVER_SOLID_LZMS = 1.35

/** Whether the install image can go onto the medium as it is: every edition kept, every file small enough. */
export function keepsInstallAsIs(media: Pick<WindowsMedia, 'install'>, editions: PrepareOptions['editions'], maxFileBytes = FAT32_MAX_FILE): boolean {
  return (!editions || editions.length === 0) && media.install.files.every((f) => f.size <= maxFileBytes)
}

/**
 * About how many bytes the prepared install image takes, before it is made: exact when it is
 * kept as it is, else the stored sizes of the blobs the kept editions use (scaled from LZMS
 * to LZX when an ESD is converted). For the early "target too small" check and the review.
 */
export async function estimateInstallBytes(archive: WimArchive, media: Pick<WindowsMedia, 'install'>, indexes: number[], keepAll: boolean): Promise<number> {
  if (keepAll && media.install.format !== 'esd') return media.install.files.reduce((sum, f) => sum + f.size, 0)
  const { hashes } = await readImagesAndBlobs(archive, indexes)
  let bytes = indexes.reduce((sum, i) => sum + storedBytes(archive.metadata[i - 1]!), 0)
  for (const hash of hashes) bytes += storedBytes(archive.blob(hash))
  return Math.ceil(bytes)
}

function storedBytes(blob: BlobEntry): number {
  if (blob.location.kind === 'resource') return blob.location.header.sizeInWim
  const resource = blob.location.resource
  const share = resource.uncompressedSize > 0 ? (blob.size / resource.uncompressedSize) * resource.sizeInWim : blob.size
  return resource.compression === 'lzms' ? share * LZX_OVER_SOLID_LZMS : share
}

function localFile(path: string, name: string, size: number): InstallFile {
  return { name, size, open: () => FileReader.open(path) }
}

/**
 * Makes the install image fit the medium. Unchanged when every file fits and all editions
 * stay; otherwise the chosen editions are exported (an ESD becomes an LZX WIM: its solid
 * resources cannot be split into parts) and the result is split into install.swm,
 * install2.swm, ... when it is still too large for FAT32. Work happens in a temporary
 * folder that cleanup() removes.
 */
export async function prepareInstallImage(source: SourceTree, media: WindowsMedia, options: PrepareOptions): Promise<PreparedInstall> {
  const max = options.maxFileBytes ?? FAT32_MAX_FILE
  const install = media.install
  const keepAll = !options.editions || options.editions.length === 0
  if (keepsInstallAsIs(media, options.editions, max)) {
    return {
      files: install.files.map((f) => ({ name: f.path.split('/').pop()!, size: f.size, open: () => source.open(f.path) })),
      action: `install.${install.format} copied as it is`,
      cleanup: async () => undefined,
    }
  }

  await mkdir(options.tempRoot, { recursive: true })
  const temp = await mkdtemp(join(options.tempRoot, 'imaging-media-'))
  const cleanup = (): Promise<void> => rm(temp, { recursive: true, force: true })
  try {
    const archive = await openInstallImage(source, media)
    const steps: string[] = []
    let wimPath: string
    try {
      const needsExport = !keepAll || install.format !== 'wim'
      if (needsExport) {
        wimPath = join(temp, 'install.wim')
        const report = await exportImages(
          { source: archive, images: keepAll ? 'all' : options.editions!, dest: wimPath, mode: 'create', compression: archive.header.compression === 'lzms' ? 'lzx' : undefined },
          options.pool,
          stepContext(options.ctx, 'Export', EXPORT_PHASES),
        )
        steps.push(`${keepAll ? 'all editions' : `${report.images.length} of ${archive.images.length} editions`} exported to install.wim (${report.compression.toUpperCase()})`)
      } else {
        wimPath = ''
      }
      const size = wimPath ? (await stat(wimPath)).size : install.files[0]!.size
      if (size <= max) return { files: [localFile(wimPath, 'install.wim', size)], action: steps.join('; '), cleanup }
      const report = await splitWim(wimPath || archive, join(temp, 'install.swm'), Math.min(max, FAT32_MAX_FILE - SPLIT_MARGIN), options.pool, stepContext(options.ctx, 'Split'))
      steps.push(`split into ${report.parts.length} parts for FAT32`)
      return {
        files: report.parts.map((p) => localFile(p.path, p.path.split('/').pop()!, p.bytes)),
        action: steps.join('; '),
        cleanup,
      }
    } finally {
      await archive.close()
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}
