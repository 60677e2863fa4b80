import type { JobManager } from '../../jobs/job-manager'
import type { WimService } from '../../wim/wim-service'
import type { DomainHandlers } from './types'

export function wimHandlers(wim: WimService, jobs: JobManager): DomainHandlers<'wim'> {
  return {
    'wim.info': ({ path }) => wim.info(path),
    'wim.dir': ({ path, image, dir, recursive, limit }) => wim.dir(path, image, dir, recursive, limit),
    'wim.apply': ({ path, image, target }) => jobs.start(wim.applyJob(path, image, target)),
    'wim.extract': ({ path, image, paths, target }) => jobs.start(wim.applyJob(path, image, target, paths)),
    'wim.verify': ({ path }) => jobs.start(wim.verifyJob(path)),
  }
}
