import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openHelperEndpoint, type HelperEndpoint } from '../../src/main/disk/elevation/helper-client'
import { helperInvocation, type Invocation } from '../../src/main/disk/elevation/launch'
import { encodeFrame, expectType, FrameReader, newNonce, proof } from '../../src/main/disk/elevation/protocol'
import { diskOpener } from '../../src/main/disk/open-target'
import { identify } from '../../src/main/disk/identity'
import { linuxDrive } from '../../src/main/disk/linux-block-device'
import { JournalTarget } from '../../src/main/disk/write-journal'
import { generateBytes } from '../../src/main/jobs/tasks'
import { tempDir } from '../support/temp'
import { isRoot } from './partition/peers'
import { sha256Of } from './support/drive-writes'
import { loopDevice } from './support/loop-device'

/** Runs the helper as the elevation would, minus the prompt: a separate process started from the same invocation. */
function startHelper(invocation: Invocation): { exited: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(invocation.command, invocation.args, { env: { ...process.env, ...invocation.env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return { exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr }))) }
}

async function impostor(endpoint: HelperEndpoint, secret: Buffer): Promise<string> {
  const socket = connect(endpoint.socket)
  const frames = new FrameReader(socket)
  socket.write(encodeFrame({ type: 'hello', version: 1, nonce: newNonce() }))
  const challenge = expectType(await frames.next(), 'challenge')
  socket.write(encodeFrame({ type: 'auth', proof: proof(secret, 'helper', String(challenge.nonce)) }))
  return frames.next().then(
    (f) => f.header.type,
    (e: Error) => e.message,
  )
}

describe('the elevated helper', () => {
  const dir = tempDir('imaging-helper-')
  const device = isRoot() ? loopDevice(join(dir, 'helper-loop.img'), 32 * 1024 * 1024) : ''

  it('keeps its socket and secret where only this user can reach them', async () => {
    const endpoint = await openHelperEndpoint()
    try {
      const { statSync } = await import('node:fs')
      expect(statSync(endpoint.secretFile).mode & 0o777).toBe(0o600)
      expect(statSync(join(endpoint.socket, '..')).mode & 0o777).toBe(0o700)
    } finally {
      await endpoint.close()
    }
  })

  it('drops a client that does not prove the secret, and still takes the real helper', async () => {
    const endpoint = await openHelperEndpoint()
    try {
      const accepted = endpoint.accept(30_000)
      expect(await impostor(endpoint, Buffer.alloc(32, 7))).toMatch(/connection closed/)
      const helper = startHelper(helperInvocation(endpoint))
      const connection = await accepted
      await expect(connection.openTarget({ id: '/etc/passwd', kind: 'disk', device: '/etc/passwd', sizeBytes: 1, description: 'x', serial: null, isRemovable: true, fingerprint: {} }, () => undefined)).rejects.toThrow(
        expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringMatching(/not a block device/) }),
      )
      connection.close()
      expect((await helper.exited).code).toBe(0)
    } finally {
      await endpoint.close()
    }
  })

  it('refuses an engine that does not know the secret: the helper quits without doing anything', async () => {
    const endpoint = await openHelperEndpoint()
    try {
      const forged = join(dir, 'forged-secret')
      writeFileSync(forged, Buffer.alloc(32, 1).toString('hex'), { mode: 0o600 })
      const helper = startHelper({ ...helperInvocation(endpoint), args: helperInvocation({ socket: endpoint.socket, secretFile: forged }).args })
      const result = await helper.exited
      expect(result.code).not.toBe(0)
      expect(result.stderr).toMatch(/the engine did not prove the secret/)
      await expect(endpoint.accept(200)).rejects.toThrow(/did not connect within/)
    } finally {
      await endpoint.close()
    }
  })

  it.skipIf(!isRoot())('writes and reads back a real block device through the helper process', async () => {
    const open = diskOpener({
      elevated: async () => false,
      launch: (invocation) => startHelper(invocation).exited.then(({ code, stderr }) => Promise.reject(new Error(`helper exited ${code}: ${stderr}`))),
    })
    const logs: string[] = []
    const { target, engine } = await open(identify(linuxDrive(device))!, (m) => logs.push(m))
    expect(engine).toMatch(/elevated helper/)
    expect(logs).toContainEqual(expect.stringMatching(/helper: Opened .* exclusively, with direct writes past the page cache/))
    const journal = new JournalTarget(target)
    const data = generateBytes(9, 8 * 1024 * 1024)
    await journal.write(data, 1024 * 1024)
    await journal.write(data.subarray(0, 4096), 0)
    await journal.flush()
    await journal.verify()
    await journal.close()
    expect(sha256Of(device, 1024 * 1024, data.length)).toBe(sha256Of(join(dir, 'helper-loop.img'), 1024 * 1024, data.length))
    expect(sha256Of(device, 1024 * 1024, data.length)).toBe((await import('node:crypto')).createHash('sha256').update(data).digest('hex'))
  })
})
