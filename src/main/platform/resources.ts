import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppError } from '../../shared/errors'

/** A file every copy of the resources folder has: how it is recognised. */
const MARKER = join('bios-boot', 'manifest.json')

/**
 * The app's bundled resources (boot code, ...): the `resources` folder above this module in
 * the source tree and in the build output alike, or beside a packaged Electron app.
 */
export function findResourcesDir(start: string = __dirname): string {
  for (let dir = start, depth = 0; depth < 6; depth++, dir = dirname(dir)) {
    const candidate = join(dir, 'resources')
    if (existsSync(join(candidate, MARKER))) return candidate
  }
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged && existsSync(join(packaged, 'resources', MARKER))) return join(packaged, 'resources')
  throw new AppError('NOT_FOUND', `The app's resources folder (with ${MARKER}) was not found above ${start}: the installation is incomplete`, { path: start })
}
