import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Envelope } from '../../src/shared/client'
import { startHttpServer, type RunningServer } from '../../src/main/transport/http-server'
import { testEngine } from '../support/engine'
import { tempDir } from '../support/temp'

let server: RunningServer
const staticDir = join(tempDir(), 'renderer')
// Created while the file loads: hooks that testEngine registers from inside beforeAll would never run.
const engine = await testEngine()

beforeAll(async () => {
  mkdirSync(staticDir, { recursive: true })
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ui</title>')
  server = await startHttpServer({ service: engine.service, staticDir })
})
afterAll(() => server.close())

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

function invoke(method: string, args: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send('/api/invoke', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-imaging-token': server.token, ...headers },
    body: JSON.stringify({ method, args }),
  })
}

describe('headless server', () => {
  it('listens on loopback only by default and prints a URL carrying the token', () => {
    expect(server.host).toBe('127.0.0.1')
    expect(server.openUrl).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`)
  })

  it('answers a call that carries the token', async () => {
    const reply = await invoke('jobs.list', {})
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: [] })
  })

  it('refuses a request without the token, or with a wrong one', async () => {
    const none = await send('/api/invoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"method":"jobs.list","args":{}}' })
    expect(none.status).toBe(401)
    expect(JSON.parse(none.body).error.code).toBe('UNAUTHORIZED')
    const wrong = await invoke('jobs.list', {}, { 'x-imaging-token': `${server.token.slice(0, -1)}x` })
    expect(wrong.status).toBe(401)
  })

  it('refuses a request from another origin even with the token', async () => {
    const reply = await invoke('jobs.list', {}, { origin: 'http://evil.example' })
    expect(reply.status).toBe(403)
    expect(JSON.parse(reply.body).error.message).toMatch(/another origin/)
    const same = await invoke('jobs.list', {}, { origin: `http://127.0.0.1:${server.port}` })
    expect(same.status).toBe(200)
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const reply = await invoke('jobs.list', {}, { host: `evil.example:${server.port}` })
    expect(reply.status).toBe(421)
  })

  it('refuses bodies that are not JSON', async () => {
    const reply = await send('/api/invoke', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-imaging-token': server.token }, body: 'x' })
    expect(reply.status).toBe(415)
  })

  it('answers arguments that break the contract with a clear validation error', async () => {
    const wrongType = JSON.parse((await invoke('jobs.selfTest', { sizeMiB: 'lots' })).body) as Envelope
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { fields: ['sizeMiB'] } } })
    expect(wrongType.ok || wrongType.error.message).toMatch(/jobs\.selfTest: sizeMiB: .*expected number/)
    const extra = JSON.parse((await invoke('drives.list', { refresh: true, evil: 1 })).body) as Envelope
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const relative = JSON.parse((await invoke('drives.addImageFile', { path: 'relative/disk.img' })).body) as Envelope
    expect(relative.ok || relative.error.message).toMatch(/path: must be an absolute path/)
    const unknown = JSON.parse((await invoke('disk.format', {})).body) as Envelope
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
  })

  it('serves the UI with a strict CSP and never a file outside its folder', async () => {
    const page = await send('/')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/)
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json']) {
      expect((await send(path)).status).toBe(404)
    }
  })

  it('streams events over a WebSocket only with the token and from our origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/api/events`
    const opened = (url: string, origin?: string): Promise<boolean> =>
      new Promise((resolve) => {
        const ws = new WebSocket(url, origin ? { origin } : {})
        ws.on('open', () => {
          ws.close()
          resolve(true)
        })
        ws.on('error', () => resolve(false))
      })
    expect(await opened(base)).toBe(false)
    expect(await opened(`${base}?token=${server.token}`, 'http://evil.example')).toBe(false)
    expect(await opened(`${base}?token=${server.token}`, `http://127.0.0.1:${server.port}`)).toBe(true)

    const ws = new WebSocket(`${base}?token=${server.token}`)
    await new Promise((resolve) => ws.on('open', resolve))
    const events: Array<{ type: string; job?: { state: string } }> = []
    ws.on('message', (data) => events.push(JSON.parse(String(data))))
    const started = JSON.parse((await invoke('jobs.selfTest', { sizeMiB: 8 })).body) as Envelope<{ id: string }>
    expect(started.ok).toBe(true)
    await expect.poll(() => events.some((e) => e.type === 'job' && e.job?.state === 'succeeded'), { timeout: 20_000 }).toBe(true)
    ws.close()
  })
})
