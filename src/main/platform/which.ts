import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

/** Admin tools live in sbin, which an unprivileged user's PATH often lacks. */
const EXTRA_POSIX_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/opt/homebrew/bin', '/usr/local/bin']

/** Full path of an executable found on PATH (plus the usual admin folders), or null. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | null {
  if (isAbsolute(command)) return isExecutable(command, platform) ? command : null
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)
  if (platform !== 'win32') dirs.push(...EXTRA_POSIX_DIRS)
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : ['']
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = join(dir, command + ext)
      if (isExecutable(candidate, platform)) return candidate
    }
  }
  return null
}

function isExecutable(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) return false
    if (platform !== 'win32') accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
