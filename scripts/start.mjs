#!/usr/bin/env node
/**
 * `npm start`: the desktop window where Electron and a display are available; otherwise the
 * same UI served headless on http://127.0.0.1 (`npm run serve` asks for that directly).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const serveRequested = args.includes('--serve')
const serverArgs = args.filter((a) => a !== '--serve')

function ensureBuilt() {
  const built = ['out/main/index.js', 'out/main/server.js', 'out/preload/index.js', 'out/renderer/index.html']
  if (built.every((f) => existsSync(join(root, f)))) return
  console.log('Building the app (first start)...')
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/** Why the desktop window cannot open here, or null when it can. */
function desktopUnavailable() {
  let binary
  try {
    binary = createRequire(import.meta.url)('electron')
  } catch {
    return 'the Electron binary is not installed (it could not be downloaded during npm install)'
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return 'the Electron binary is not installed'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'there is no display'
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    return "running as root, where Chromium's sandbox refuses to start (run as a normal user; the app asks for elevation when it writes a disk)"
  }
  return null
}

ensureBuilt()
const reason = serveRequested ? null : desktopUnavailable()
const electron = serveRequested || reason ? null : createRequire(import.meta.url)('electron')
if (reason) console.log(`Desktop window not available: ${reason}.\nStarting the headless server instead.`)
const child = electron
  ? spawn(electron, [root], { stdio: 'inherit' })
  : spawn(process.execPath, [join(root, 'out', 'main', 'server.js'), ...serverArgs], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
