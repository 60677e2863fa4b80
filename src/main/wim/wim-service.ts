import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import type { ApplyReport, CaptureReport, ExportReport, OptimizeReport, SplitReport, UpdateReport, VerifyReport, WimDirEntry, WimSummary } from '../../shared/wim'
import type { JobSpec } from '../jobs/job-manager'
import type { OperationContext } from '../jobs/operation-context'
import type { WorkerPool } from '../jobs/worker-pool'
import { APPLY_PHASES, applyImage } from './apply/apply-image'
import type { WimCatalog } from './catalog'
import { listImagePath, summarize } from './describe'
import { CAPTURE_PHASES, captureImage, type CaptureOptions } from './capture/capture'
import { parseCaptureConfig } from './capture/exclusions'
import type { Compression } from './constants'
import { VERIFY_PHASES, verifyWim } from './verify'
import { EXPORT_PHASES, exportImages, type ExportOptions } from './write/export'
import { optimizeWim } from './write/optimize'
import { splitWim } from './write/split'
import { deleteImage, setBootIndex, setImageProperties, type ImageProperties } from './write/tables'
import { UPDATE_PHASES, updateImage, type UpdateCommand } from './write/update'

/** A quick write that needs no progress: tables only. */
const silent: OperationContext = { signal: new AbortController().signal, phase: () => undefined, setTotal: () => undefined, advance: () => undefined, log: () => undefined }

/** The WIM operations a front end asks for: quick reads answered at once, long work as jobs. */
export class WimService {
  constructor(
    private readonly catalog: WimCatalog,
    private readonly pool: WorkerPool,
  ) {}

  private get engine(): string {
    return `built-in, ${this.pool.size} of ${availableParallelism()} cores`
  }

  info(path: string): Promise<WimSummary> {
    return this.catalog.with(path, async (archive) => summarize(archive))
  }

  dir(path: string, image: string | number, dir: string, recursive: boolean, limit: number): Promise<WimDirEntry[]> {
    return this.catalog.with(path, async (archive, tree) => listImagePath(archive, await tree(archive.resolveImage(image)), dir, recursive, limit))
  }

  applyJob(path: string, image: string | number, target: string, paths?: string[]): JobSpec<ApplyReport> {
    const what = paths ? `${paths.length} path${paths.length === 1 ? '' : 's'} of image ${image}` : `image ${image}`
    return {
      kind: paths ? 'wim-extract' : 'wim-apply',
      title: `${paths ? 'Extract' : 'Apply'} ${what} of ${path} to ${target}`,
      phases: APPLY_PHASES,
      engine: this.engine,
      run: (ctx) =>
        this.catalog.with(path, async (archive) => {
          const index = archive.resolveImage(image)
          ctx.log('info', `Image ${index}: ${archive.images[index - 1]?.name ?? '(unnamed)'}`)
          const report = await applyImage(archive, index, target, { pool: this.pool, paths }, ctx)
          ctx.log('info', `${report.files} files, ${report.directories} folders, ${report.hardLinks} hard links, ${report.symlinks} links in ${report.seconds.toFixed(1)} s`)
          return report
        }),
    }
  }

  captureJob(options: Omit<CaptureOptions, 'config'> & { configFile?: string }): JobSpec<CaptureReport> {
    const verb = options.mode === 'append' ? 'Append' : 'Capture'
    return {
      kind: 'wim-capture',
      title: `${verb} ${options.source} as "${options.name}" ${options.mode === 'append' ? 'to' : 'into'} ${options.wim}`,
      phases: CAPTURE_PHASES,
      engine: this.engine,
      run: async (ctx) => {
        const config = options.configFile ? parseCaptureConfig(await readFile(options.configFile, 'utf8'), options.configFile) : undefined
        await this.catalog.forget(options.wim)
        const report = await captureImage({ ...options, config }, this.pool, ctx)
        ctx.log('info', `Image ${report.image}: ${report.files} files, ${report.newBlobs} new contents, ${report.reusedBlobs} already stored; WIM is ${report.wimBytes} bytes`)
        return report
      },
    }
  }

  exportJob(options: ExportOptions & { source: string }): JobSpec<ExportReport> {
    return {
      kind: 'wim-export',
      title: `Export ${options.images === 'all' ? 'all images' : `image ${options.images.join(', ')}`} of ${options.source} to ${options.dest}`,
      phases: EXPORT_PHASES,
      engine: this.engine,
      run: async (ctx) => {
        await this.catalog.forget(options.source)
        await this.catalog.forget(options.dest)
        return exportImages(options, this.pool, ctx)
      },
    }
  }

  updateJob(path: string, image: string | number, commands: UpdateCommand[]): JobSpec<UpdateReport> {
    return {
      kind: 'wim-update',
      title: `Update image ${image} of ${path} (${commands.length} change${commands.length === 1 ? '' : 's'})`,
      phases: UPDATE_PHASES,
      engine: this.engine,
      run: async (ctx) => {
        await this.catalog.forget(path)
        return updateImage(path, image, commands, this.pool, ctx)
      },
    }
  }

  optimizeJob(path: string, compression?: Compression): JobSpec<OptimizeReport> {
    return {
      kind: 'wim-optimize',
      title: `Optimize ${path}${compression ? ` (recompress as ${compression.toUpperCase()})` : ''}`,
      phases: EXPORT_PHASES,
      engine: this.engine,
      run: async (ctx) => {
        await this.catalog.forget(path)
        return optimizeWim(path, this.pool, ctx, { compression })
      },
    }
  }

  splitJob(path: string, firstPart: string, partBytes: number): JobSpec<SplitReport> {
    return {
      kind: 'wim-split',
      title: `Split ${path} into parts of ${Math.round(partBytes / 1048576)} MiB`,
      phases: [{ id: 'copy', label: 'Write the parts' }],
      engine: this.engine,
      run: async (ctx) => {
        ctx.phase('copy')
        await this.catalog.forget(path)
        return splitWim(path, firstPart, partBytes, this.pool, ctx)
      },
    }
  }

  joinJob(firstPart: string, dest: string): JobSpec<ExportReport> {
    return {
      kind: 'wim-join',
      title: `Join ${firstPart} into ${dest}`,
      phases: EXPORT_PHASES,
      engine: this.engine,
      run: (ctx) =>
        this.catalog.with(firstPart, async (archive) => {
          const guid = archive.header.guid
          return exportImages({ source: firstPart, images: 'all', dest, mode: 'create', guid }, this.pool, ctx)
        }),
    }
  }

  async deleteImage(path: string, image: string | number): Promise<WimSummary> {
    await this.catalog.forget(path)
    await deleteImage(path, image, this.pool, silent)
    return this.info(path)
  }

  async setProperties(path: string, image: string | number, properties: ImageProperties): Promise<WimSummary> {
    await this.catalog.forget(path)
    await setImageProperties(path, image, properties, this.pool, silent)
    return this.info(path)
  }

  async setBootIndex(path: string, image: string | number | 0): Promise<WimSummary> {
    await this.catalog.forget(path)
    await setBootIndex(path, image, this.pool, silent)
    return this.info(path)
  }

  verifyJob(path: string): JobSpec<VerifyReport> {
    return {
      kind: 'wim-verify',
      title: `Verify ${path}`,
      phases: VERIFY_PHASES,
      engine: this.engine,
      run: (ctx) =>
        this.catalog.with(path, async (archive) => {
          const report = await verifyWim(archive, this.pool, ctx)
          const bad = report.failures.length + report.integrityFailures.length
          ctx.log(bad ? 'error' : 'info', bad ? `${bad} problem(s) found` : `All ${report.blobs} blobs check out`)
          return report
        }),
    }
  }
}
