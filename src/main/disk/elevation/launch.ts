/**
 * Starting the helper with administrator rights, the way each OS asks its user for them:
 * pkexec (polkit) on Linux, a UAC prompt through PowerShell's Start-Process -Verb RunAs on
 * Windows, and osascript's "with administrator privileges" on macOS. The commands are
 * built as data by pure functions; only `launchHelper` runs one.
 */
import { spawn } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import { which } from '../../platform/which'
import { powershellCommand } from '../device/windows-commands'

export interface Invocation {
  command: string
  args: string[]
  /** Variables the program needs; elevation drops the caller's environment, so they are set explicitly. */
  env: Record<string, string>
}

/** How to run `imaging disk-helper` as this very program is running: from source (tsx), built, or inside Electron. */
export function helperInvocation(endpoint: { socket: string; secretFile: string }): Invocation {
  const helperArgs = ['disk-helper', '--socket', endpoint.socket, '--secret-file', endpoint.secretFile]
  if (__filename.endsWith('.ts')) {
    const cli = join(__dirname, '..', '..', '..', 'cli', 'index.ts')
    return { command: process.execPath, args: ['--import', pathToFileURL(require.resolve('tsx')).href, cli, ...helperArgs], env: {} }
  }
  // Built: every entry and chunk sits in out/main, the CLI as cli.js.
  return { command: process.execPath, args: [join(__dirname, 'cli.js'), ...helperArgs], env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {} }
}

/** A POSIX shell word. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\-./=:@%+,]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** A PowerShell single-quoted string. */
export function powershellQuote(word: string): string {
  return `'${word.replace(/'/g, "''")}'`
}

export function elevatedCommand(platform: NodeJS.Platform, invocation: Invocation, pkexecPath = '/usr/bin/pkexec'): { command: string; args: string[] } {
  const envPairs = Object.entries(invocation.env).map(([k, v]) => `${k}=${v}`)
  switch (platform) {
    case 'linux':
      // pkexec runs a program by absolute path with a clean environment: env sets ours.
      return { command: pkexecPath, args: ['/usr/bin/env', ...envPairs, invocation.command, ...invocation.args] }
    case 'darwin': {
      const shell = [...envPairs, invocation.command, ...invocation.args].map(shellQuote).join(' ')
      const script = `do shell script "${shell.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}" with administrator privileges`
      return { command: '/usr/bin/osascript', args: ['-e', script] }
    }
    case 'win32': {
      const inner = [
        ...Object.entries(invocation.env).map(([k, v]) => `$env:${k} = ${powershellQuote(v)}`),
        `& ${[invocation.command, ...invocation.args].map(powershellQuote).join(' ')}`,
        'exit $LASTEXITCODE',
      ].join('\n')
      const elevated = powershellCommand(inner)
      const outer = `Start-Process -FilePath ${powershellQuote(elevated.command)} -Verb RunAs -WindowStyle Hidden -ArgumentList ${elevated.args.map(powershellQuote).join(',')}`
      return powershellCommand(outer)
    }
    default:
      throw new AppError('UNSUPPORTED', `Cannot ask for administrator rights on ${platform}`, { platform })
  }
}

/**
 * Starts the elevated helper. Resolves a promise that rejects if the elevation fails (the
 * user refused, no polkit agent) before the helper connects; on Windows the launcher exits
 * as soon as the prompt is answered, so only a failing exit counts.
 */
export function launchHelper(platform: NodeJS.Platform, invocation: Invocation): Promise<never> {
  const pkexec = platform === 'linux' ? which('pkexec') : null
  if (platform === 'linux' && !pkexec) {
    return Promise.reject(
      new AppError('TOOL_MISSING', 'Writing a drive needs administrator rights: run as root, or install pkexec (Debian package pkexec or policykit-1) so the app can ask for them', {
        tool: 'pkexec',
      }),
    )
  }
  const { command, args } = elevatedCommand(platform, invocation, pkexec ?? undefined)
  return new Promise<never>((_, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', (error) => reject(new AppError('TOOL_MISSING', `Could not ask for administrator rights (${command}): ${error.message}`, { tool: command })))
    child.on('exit', (code) => {
      if (code !== 0) reject(new AppError('UNAUTHORIZED', `Administrator rights were not granted (${stderr.trim() || `exit ${code}`}). Nothing was written.`, { tool: command, exitCode: code }))
    })
  })
}
