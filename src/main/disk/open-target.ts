import type { DriveIdentity } from '../../shared/drives'
import { isElevated } from '../platform/environment'
import { FileTarget, type ByteTarget } from './byte-target'
import { DeviceTarget } from './device/device-target'
import { openHelperEndpoint } from './elevation/helper-client'
import { helperInvocation, launchHelper, type Invocation } from './elevation/launch'
import { identify } from './identity'
import type { TargetOpener } from './operations/drive-write-job'
import { assertSameDrive } from './write-safety'

/** How long a technician gets to answer the password prompt. */
const ELEVATION_TIMEOUT_MS = 120_000

export interface DiskOpenerOptions {
  platform?: NodeJS.Platform
  /** Whether this process may write disks itself; detected when not given. */
  elevated?: () => Promise<boolean>
  /** Starts the helper; by default through the OS's elevation prompt. */
  launch?: (invocation: Invocation) => Promise<never>
}

/** Opens a confirmed disk: directly with the rights to, else through an elevated helper started for this one write. */
export function diskOpener(options: DiskOpenerOptions = {}): (identity: DriveIdentity, log: (m: string) => void) => Promise<{ target: ByteTarget; engine: string }> {
  const platform = options.platform ?? process.platform
  const elevated = options.elevated ?? (() => isElevated(platform))
  const launch = options.launch ?? ((invocation) => launchHelper(platform, invocation))
  return async (identity, log) => {
    if (await elevated()) return { target: await DeviceTarget.open(identity, { platform, log }), engine: 'built-in' }
    log('Asking for administrator rights to write the drive')
    const endpoint = await openHelperEndpoint(platform)
    try {
      const connection = await endpoint.accept(ELEVATION_TIMEOUT_MS, launch(helperInvocation(endpoint)))
      try {
        return { target: await connection.openTarget(identity, log), engine: 'built-in, through the elevated helper' }
      } catch (error) {
        connection.close()
        throw error
      }
    } finally {
      // The helper is connected (or never will be): nothing else may connect.
      await endpoint.close()
    }
  }
}

/** The one door to every write: image files here, disks through `openDisk`; the identity is checked right before either opens. */
export function targetOpener(openDisk: ReturnType<typeof diskOpener>): TargetOpener {
  return async (write, log) => {
    if (write.drive.kind === 'disk') return { ...(await openDisk(write.identity, log)), created: false }
    assertSameDrive(write.identity, identify(write.drive))
    if (write.identity.sizeBytes === null) {
      log(`Creating ${write.drive.device} (${write.createSizeBytes} bytes)`)
      return { target: await FileTarget.create(write.drive.device, write.createSizeBytes!), created: true, engine: 'built-in' }
    }
    return { target: await FileTarget.openExisting(write.drive.device, { writable: true }), created: false, engine: 'built-in' }
  }
}
