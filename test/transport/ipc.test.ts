import { describe, expect, it } from 'vitest'
import type { AppEvent } from '../../src/shared/contract'
import { IPC_EVENT, IPC_INVOKE } from '../../src/shared/ipc'
import { serveIpc, type IpcMainLike } from '../../src/main/transport/ipc'
import { testEngine } from '../support/engine'

/** Electron's ipcMain cannot run here; this stands in for its handle/removeHandler only. */
class IpcMainDouble implements IpcMainLike {
  readonly handlers = new Map<string, (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown>()
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown): void {
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  call(url: string | null, method: unknown, args: unknown): Promise<unknown> {
    return Promise.resolve(this.handlers.get(IPC_INVOKE)!({ senderFrame: url === null ? null : { url } }, method, args))
  }
}

const APP_URL = 'file:///app/out/renderer/index.html'

describe('IPC transport', async () => {
  const engine = await testEngine()
  const ipc = new IpcMainDouble()
  const sent: Array<{ channel: string; payload: unknown }> = []
  const stop = serveIpc(ipc, engine.service, (url) => url === APP_URL, () => [
    { isDestroyed: () => false, send: (channel, payload) => sent.push({ channel, payload }) },
  ])

  it('serves the contract to the app window', async () => {
    expect(await ipc.call(APP_URL, 'jobs.list', {})).toEqual({ ok: true, value: [] })
  })

  it('refuses calls from any other frame', async () => {
    expect(await ipc.call('https://evil.example/', 'jobs.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(await ipc.call(null, 'jobs.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
  })

  it('validates every argument against the contract', async () => {
    expect(await ipc.call(APP_URL, 'jobs.cancel', { id: '../../etc' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/jobs\.cancel: id: is not a job id/) },
    })
    expect(await ipc.call(APP_URL, 'jobs.selfTest', { sizeMiB: 10 ** 9 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await ipc.call(APP_URL, 42, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    expect(await ipc.call(APP_URL, 'jobs.list', 'not an object')).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('forwards engine events to the window and stops on teardown', () => {
    const event: AppEvent = { type: 'job.log', jobId: 'x', line: { time: 1, level: 'info', message: 'hello' } }
    engine.bus.emit(event)
    expect(sent).toContainEqual({ channel: IPC_EVENT, payload: event })
    stop()
    expect(ipc.handlers.size).toBe(0)
    engine.bus.emit(event)
    expect(sent.filter((s) => s.payload === event)).toHaveLength(1)
  })
})
