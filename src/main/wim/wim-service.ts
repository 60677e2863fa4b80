import { availableParallelism } from 'node:os'
import type { ApplyReport, VerifyReport, WimDirEntry, WimSummary } from '../../shared/wim'
import type { JobSpec } from '../jobs/job-manager'
import type { WorkerPool } from '../jobs/worker-pool'
import { APPLY_PHASES, applyImage } from './apply/apply-image'
import type { WimCatalog } from './catalog'
import { listImagePath, summarize } from './describe'
import { VERIFY_PHASES, verifyWim } from './verify'

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
