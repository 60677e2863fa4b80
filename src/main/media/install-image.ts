import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { SourceTree } from '../fs/source-tree'
import type { OperationContext } from '../jobs/operation-context'
import type { WorkerPool } from '../jobs/worker-pool'
import { exportImages } from '../wim/write/export'
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
  open(): AsyncIterable<Uint8Array>
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

function localFile(path: string, name: string, size: number): InstallFile {
  return { name, size, open: () => createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Uint8Array> }
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
  if (keepAll && install.files.every((f) => f.size <= max)) {
    return {
      files: install.files.map((f) => ({ name: f.path.split('/').pop()!, size: f.size, open: () => source.stream(f.path, 4 * 1024 * 1024) })),
      action: `install.${install.format} copied as it is`,
      cleanup: async () => undefined,
    }
  }

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
          options.ctx,
        )
        steps.push(`${keepAll ? 'all editions' : `${report.images.length} of ${archive.images.length} editions`} exported to install.wim (${report.compression.toUpperCase()})`)
      } else {
        wimPath = ''
      }
      const size = wimPath ? (await stat(wimPath)).size : install.files[0]!.size
      if (size <= max) return { files: [localFile(wimPath, 'install.wim', size)], action: steps.join('; '), cleanup }
      const report = await splitWim(wimPath || archive, join(temp, 'install.swm'), Math.min(max, FAT32_MAX_FILE - SPLIT_MARGIN), options.pool, options.ctx)
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
