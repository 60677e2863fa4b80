import { homedir } from 'node:os'
import { join } from 'node:path'

const APP_DIR = 'imaging-workstation'

/**
 * Where the app keeps its state and job logs. IMAGING_DATA_DIR overrides it (tests, portable
 * installs); otherwise the usual per-user place of each OS.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.IMAGING_DATA_DIR) return env.IMAGING_DATA_DIR
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), APP_DIR)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR)
  return join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), APP_DIR)
}
