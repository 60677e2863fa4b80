import { join } from 'node:path'
import { version } from '../../../package.json'
import { defaultDataDir } from '../app-paths'
import { DriveMonitor, type DriveMonitorOptions } from '../disk/drive-monitor'
import { DriveWriter } from '../disk/drive-writer'
import { ImageFileRegistry } from '../disk/image-files'
import { diskOpener, targetOpener, type DiskOpenerOptions } from '../disk/open-target'
import { diskOperations } from '../disk/operations/builtin-operations'
import { EventBus } from '../event-bus'
import { JobManager } from '../jobs/job-manager'
import { WorkerPool } from '../jobs/worker-pool'
import { mediaOperation } from '../media/media-operation'
import { EnvironmentService } from '../platform/environment'
import { findResourcesDir } from '../platform/resources'
import { WimCatalog } from '../wim/catalog'
import { WimService } from '../wim/wim-service'
import { driveHandlers } from './handlers/drives'
import { envHandlers } from './handlers/env'
import { jobHandlers } from './handlers/jobs'
import { mediaHandlers } from './handlers/media'
import { unattendHandlers } from './handlers/unattend'
import { wimHandlers } from './handlers/wim'
import { Service, type Handlers } from './service'

export interface EngineOptions {
  dataDir?: string
  electronVersion?: string | null
  workerThreads?: number
  drives?: DriveMonitorOptions
  /** How disks are opened for writing (directly, or through the elevated helper). */
  diskAccess?: DiskOpenerOptions
  /** The app's resources folder (boot code); found beside the code by default. */
  resourcesDir?: string
  /** Keep the drive list current in the background (front ends with a UI want this). */
  watchDrives?: boolean
}

export interface Engine {
  readonly service: Service
  readonly bus: EventBus
  readonly jobs: JobManager
  readonly pool: WorkerPool
  readonly drives: DriveMonitor
  close(): Promise<void>
}

/** Builds the engine and the service over it: the one composition root of every front end. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const dataDir = options.dataDir ?? defaultDataDir()
  const bus = new EventBus()
  const pool = new WorkerPool(options.workerThreads ? { size: options.workerThreads } : {})
  const jobs = new JobManager(bus, join(dataDir, 'logs'))
  const imageFiles = new ImageFileRegistry(dataDir)
  const drives = new DriveMonitor(bus, imageFiles, options.drives)
  const env = new EnvironmentService({
    appVersion: version,
    electronVersion: options.electronVersion ?? null,
    dataDir,
    workerThreads: pool.size,
  })
  const catalog = new WimCatalog()
  const operations = {
    ...diskOperations(),
    media: mediaOperation({ pool, tempRoot: join(dataDir, 'work'), resourcesDir: () => options.resourcesDir ?? findResourcesDir() }),
  }
  const writer = new DriveWriter(drives, jobs, targetOpener(diskOpener(options.diskAccess)), operations)
  const handlers: Handlers = {
    ...envHandlers(env),
    ...driveHandlers(drives, imageFiles, writer),
    ...mediaHandlers(writer),
    ...jobHandlers(jobs, pool),
    ...wimHandlers(new WimService(catalog, pool), jobs),
    ...unattendHandlers(),
  }
  if (options.watchDrives) await drives.start()
  return {
    service: new Service(handlers, (listener) => bus.subscribe(listener)),
    bus,
    jobs,
    pool,
    drives,
    close: async () => {
      await jobs.cancelAll('Cancelled: the app is closing')
      drives.stop()
      await catalog.close()
      await pool.close()
    },
  }
}
