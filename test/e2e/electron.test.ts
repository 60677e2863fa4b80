/// <reference lib="dom" />
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { root } from './harness'

/** The Electron binary and a display, or why the window cannot be launched here. */
function electronAvailability(): { binary: string } | { reason: string } {
  let binary: unknown
  try {
    binary = createRequire(__filename)('electron')
  } catch {
    return { reason: 'the Electron binary is not installed (it is an optional dependency and could not be downloaded)' }
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { reason: 'the Electron binary is not installed' }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'there is no display' }
  if (process.platform === 'linux' && process.getuid?.() === 0) return { reason: "running as root, where Chromium's sandbox refuses to start" }
  return { binary }
}

const availability = electronAvailability()
const skipped = 'reason' in availability

describe.skipIf(skipped)(`Electron window${skipped ? ` (skipped: ${availability.reason})` : ''}`, () => {
  it('opens a sandboxed, isolated window that reaches the engine only through the bridge', async () => {
    const { _electron } = await import('playwright-core')
    const app = await _electron.launch({ executablePath: (availability as { binary: string }).binary, args: [root] })
    try {
      const window = await app.firstWindow()
      await window.getByRole('heading', { name: 'Drives', level: 2 }).waitFor()
      expect(await window.title()).toBe('Imaging Workstation')
      // No Node in the page (nodeIntegration off), and the bridge is a frozen copy made by
      // contextBridge (contextIsolation on) holding only the two functions.
      const exposure = await window.evaluate(() => {
        const bridge = (globalThis as unknown as { imaging: object }).imaging
        return {
          bridge: Object.keys(bridge).sort(),
          frozen: Object.isFrozen(bridge),
          require: typeof (globalThis as { require?: unknown }).require,
          process: typeof (globalThis as { process?: unknown }).process,
        }
      })
      expect(exposure).toEqual({ bridge: ['invoke', 'onEvent'], frozen: true, require: 'undefined', process: 'undefined' })
      await window.getByTestId('nav-environment').click()
      await window.getByTestId('tool-table').waitFor()
    } finally {
      await app.close()
    }
  })
})
