import { access } from 'node:fs/promises'
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
    'wim.capture': ({ append, ...options }) => jobs.start(wim.captureJob({ ...options, mode: append ? 'append' : 'create' })),
    'wim.export': async ({ source, images, dest, ...options }) =>
      jobs.start(wim.exportJob({ source, images, dest, mode: (await exists(dest)) ? 'append' : 'create', ...options })),
    'wim.update': ({ path, image, commands }) => jobs.start(wim.updateJob(path, image, commands)),
    'wim.deleteImage': ({ path, image }) => wim.deleteImage(path, image),
    'wim.setProperties': ({ path, image, ...properties }) => wim.setProperties(path, image, properties),
    'wim.setBootIndex': ({ path, image }) => wim.setBootIndex(path, image),
    'wim.optimize': ({ path, compression }) => jobs.start(wim.optimizeJob(path, compression)),
    'wim.split': ({ path, firstPart, partMiB }) => jobs.start(wim.splitJob(path, firstPart, partMiB * 1024 * 1024)),
    'wim.join': ({ firstPart, dest }) => jobs.start(wim.joinJob(firstPart, dest)),
  }
}

/** Export adds to a WIM that exists and creates one that does not, as wimlib-imagex does. */
function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
