/**
 * The engine's side of the elevated helper: a local socket only this user can reach (a
 * Unix socket in a 0700 folder, or a named pipe with a random name), the secret in a 0600
 * file beside it, and a ByteTarget whose writes, reads and flushes are requests to the
 * helper. Every write path (tables, FAT32, raw images, verification) works through it
 * unchanged.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DriveIdentity } from '../../../shared/drives'
import { AppError } from '../../../shared/errors'
import type { ByteTarget } from '../byte-target'
import { encodeFrame, expectType, FrameReader, newNonce, proof, proofMatches, protocolError, SECRET_BYTES, type Frame, type Header } from './protocol'

export interface HelperEndpoint {
  /** Where the helper connects: a socket path or a pipe name. */
  readonly socket: string
  /** The file the helper reads the secret from (and deletes). */
  readonly secretFile: string
  /** The first connection that proves the secret; impostors are dropped and waiting goes on. */
  accept(timeoutMs: number, abandoned?: Promise<never>): Promise<HelperConnection>
  close(): Promise<void>
}

export async function openHelperEndpoint(platform: NodeJS.Platform = process.platform): Promise<HelperEndpoint> {
  const dir = await mkdtemp(join(tmpdir(), 'imaging-helper-'))
  const secret = randomBytes(SECRET_BYTES)
  const secretFile = join(dir, 'secret')
  await writeFile(secretFile, secret.toString('hex'), { mode: 0o600 })
  const socket = platform === 'win32' ? `\\\\.\\pipe\\imaging-helper-${randomBytes(16).toString('hex')}` : join(dir, 'helper.sock')
  const server: Server = createServer()
  const connections: Array<(c: HelperConnection) => void> = []
  server.on('connection', (s: Socket) => {
    authenticate(s, secret).then(
      (connection) => {
        const waiting = connections.shift()
        if (waiting) waiting(connection)
        else connection.close()
      },
      () => s.destroy(),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socket, resolve)
  })
  return {
    socket,
    secretFile,
    accept: (timeoutMs, abandoned) =>
      Promise.race([
        new Promise<HelperConnection>((resolve, reject) => {
          const timer = setTimeout(() => reject(new AppError('UNAUTHORIZED', `The elevated helper did not connect within ${Math.round(timeoutMs / 1000)} s (was the password prompt answered?). Nothing was written.`)), timeoutMs)
          connections.push((c) => {
            clearTimeout(timer)
            resolve(c)
          })
        }),
        ...(abandoned ? [abandoned] : []),
      ]),
    close: async () => {
      // Stops taking connections; an accepted helper keeps its own.
      server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function authenticate(socket: Socket, secret: Buffer): Promise<HelperConnection> {
  const frames = new FrameReader(socket)
  const timer = setTimeout(() => socket.destroy(), 10_000)
  try {
    const hello = expectType(await frames.next(), 'hello')
    if (typeof hello.nonce !== 'string' || !/^[0-9a-f]{64}$/.test(hello.nonce)) throw protocolError('bad hello')
    const engineNonce = newNonce()
    socket.write(encodeFrame({ type: 'challenge', nonce: engineNonce, proof: proof(secret, 'engine', hello.nonce) }))
    const auth = expectType(await frames.next(), 'auth')
    if (!proofMatches(secret, 'helper', engineNonce, auth.proof)) throw protocolError('the helper did not prove the secret')
    socket.write(encodeFrame({ type: 'ready' }))
    return new HelperConnection(socket, frames)
  } finally {
    clearTimeout(timer)
  }
}

/** An authenticated helper: one request at a time, each answered in order. */
export class HelperConnection {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly socket: Socket,
    private readonly frames: FrameReader,
  ) {}

  request(header: Header, body?: Uint8Array): Promise<Frame> {
    const run = this.queue.then(async () => {
      this.socket.write(encodeFrame(header, body))
      return this.frames.next()
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  async openTarget(identity: DriveIdentity, log: (message: string) => void): Promise<ByteTarget> {
    const opened = expectType(await this.request({ type: 'open', identity }), 'opened')
    for (const line of Array.isArray(opened.log) ? opened.log : []) log(`helper: ${String(line)}`)
    return new HelperTarget(this, identity.device, Number(opened.size), Number(opened.sectorSize))
  }

  close(): void {
    this.socket.end()
  }
}

class HelperTarget implements ByteTarget {
  constructor(
    private readonly connection: HelperConnection,
    readonly name: string,
    readonly size: number,
    readonly sectorSize: number,
  ) {}

  async write(data: Uint8Array, position: number): Promise<void> {
    expectType(await this.connection.request({ type: 'write', offset: position }, data), 'ok')
  }

  async read(buffer: Uint8Array, position: number): Promise<number> {
    const frame = await this.connection.request({ type: 'read', offset: position, length: buffer.length })
    expectType(frame, 'data')
    const got = Math.min(frame.body.length, buffer.length)
    buffer.set(frame.body.subarray(0, got))
    return got
  }

  async flush(): Promise<void> {
    expectType(await this.connection.request({ type: 'flush' }), 'ok')
  }

  async close(): Promise<void> {
    try {
      expectType(await this.connection.request({ type: 'close' }), 'ok')
    } finally {
      this.connection.close()
    }
  }
}
