/**
 * The elevated helper: the only code that runs with administrator rights. It connects to
 * the engine that started it, proves and checks the per-run secret, and then does one
 * narrow job: open the one disk the engine names — after the same safety checks the engine
 * made (not the system disk, not read-only, exactly the confirmed identity), done again
 * here with its own eyes — and write, read back and flush it until told to close.
 */
import { readFile, unlink } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import type { DriveIdentity } from '../../../shared/drives'
import { AppError, toErrorInfo } from '../../../shared/errors'
import { alignedBytes } from '../../io/aligned'
import { DeviceTarget } from '../device/device-target'
import { encodeFrame, expectType, FrameReader, MAX_BODY, newNonce, proof, proofMatches, protocolError, PROTOCOL_VERSION, SECRET_BYTES, type Header } from './protocol'

export interface HelperOptions {
  socket: string
  secretFile: string
}

async function readSecret(path: string): Promise<Buffer> {
  const text = (await readFile(path, 'utf8')).trim()
  // Read once: nobody else gets to use it, even with the same rights.
  await unlink(path).catch(() => undefined)
  const secret = Buffer.from(text, 'hex')
  if (secret.length !== SECRET_BYTES) throw protocolError('the secret file does not hold a secret')
  return secret
}

function checkIdentity(value: unknown): DriveIdentity {
  const v = value as DriveIdentity
  const ok =
    typeof v === 'object' &&
    v !== null &&
    v.kind === 'disk' &&
    typeof v.device === 'string' &&
    typeof v.sizeBytes === 'number' &&
    typeof v.description === 'string' &&
    typeof v.isRemovable === 'boolean' &&
    typeof v.fingerprint === 'object' &&
    v.fingerprint !== null
  if (!ok) throw new AppError('VALIDATION', 'The helper was sent no valid drive identity', { component: 'disk helper' })
  return v
}

function offsetArg(header: Header, key: string): number {
  const value = header[key]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new AppError('VALIDATION', `Bad ${key} in a ${header.type} request`, { component: 'disk helper' })
  return value
}

export async function runHelper(options: HelperOptions): Promise<void> {
  const secret = await readSecret(options.secretFile)
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(options.socket, () => resolve(s))
    s.once('error', reject)
  })
  const frames = new FrameReader(socket)
  const send = (header: Header, body?: Uint8Array) => socket.write(encodeFrame(header, body))
  let target: DeviceTarget | null = null
  /** Requests are served one at a time, so one aligned buffer stages them all. */
  const staging = alignedBytes(MAX_BODY)
  try {
    const helperNonce = newNonce()
    send({ type: 'hello', version: PROTOCOL_VERSION, nonce: helperNonce })
    const challenge = expectType(await frames.next(), 'challenge')
    if (!proofMatches(secret, 'engine', helperNonce, challenge.proof) || typeof challenge.nonce !== 'string') throw protocolError('the engine did not prove the secret')
    send({ type: 'auth', proof: proof(secret, 'helper', challenge.nonce) })
    expectType(await frames.next(), 'ready')
    for (;;) {
      // The engine hanging up between requests ends the session like a close.
      const frame = await frames.next().catch((error: unknown) => {
        if (frames.closed) return null
        throw error
      })
      if (!frame) break
      const { header, body } = frame
      try {
        if (header.type === 'close') {
          await target?.close()
          target = null
          send({ type: 'ok' })
          break
        }
        if (header.type === 'open') {
          if (target) throw new AppError('CONFLICT', 'The helper has a drive open already', { component: 'disk helper' })
          const log: string[] = []
          target = await DeviceTarget.open(checkIdentity(header.identity), { log: (m) => log.push(m) })
          send({ type: 'opened', size: target.size, sectorSize: target.sectorSize, log })
          continue
        }
        if (!target) throw new AppError('CONFLICT', `${header.type} before open`, { component: 'disk helper' })
        if (header.type === 'write') {
          // Staged in aligned memory, so the drive gets it past the page cache (see DirectIO).
          const data = staging.subarray(0, body.length)
          data.set(body)
          await target.write(data, offsetArg(header, 'offset'))
          send({ type: 'ok' })
        } else if (header.type === 'read') {
          const length = offsetArg(header, 'length')
          if (length > MAX_BODY) throw new AppError('VALIDATION', `A read of ${length} bytes is too large`, { component: 'disk helper' })
          const got = await target.read(staging.subarray(0, length), offsetArg(header, 'offset'))
          // encodeFrame copies the bytes, so the staging memory is free again once it returns.
          send({ type: 'data' }, staging.subarray(0, got))
        } else if (header.type === 'flush') {
          await target.flush()
          send({ type: 'ok' })
        } else {
          throw protocolError(`unknown request ${header.type}`)
        }
      } catch (error) {
        send({ type: 'error', error: toErrorInfo(error) })
      }
    }
  } finally {
    await target?.close().catch(() => undefined)
    socket.end()
  }
}
