import type { JobManager } from '../../jobs/job-manager'
import { selfTestJob } from '../../jobs/self-test'
import type { WorkerPool } from '../../jobs/worker-pool'
import type { DomainHandlers } from './types'

export function jobHandlers(jobs: JobManager, pool: WorkerPool): DomainHandlers<'jobs'> {
  return {
    'jobs.list': () => jobs.list(),
    'jobs.get': ({ id }) => jobs.get(id),
    'jobs.cancel': ({ id }) => jobs.cancel(id),
    'jobs.selfTest': ({ sizeMiB }) => jobs.start(selfTestJob(pool, sizeMiB)),
  }
}
