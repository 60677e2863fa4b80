/**
 * The wire between the engine and the elevated helper: length-prefixed frames over a local
 * socket (a Unix socket in a private folder, or a Windows named pipe), each a JSON header
 * and an optional binary body.
 *
 * Neither side trusts the socket. Both hold a per-run secret of 32 random bytes (the helper
 * reads it from a file only its user and root can read, and deletes it) and prove it by
 * HMAC over the other side's fresh nonce, so the secret never crosses the wire and a reply
 * cannot be replayed:
 *   helper -> hello {nonce h}
 *   engine -> challenge {nonce e, proof HMAC(secret, "engine" h)}   the helper checks it
 *   helper -> auth {proof HMAC(secret, "helper" e)}                  the engine checks it
 *   engine -> requests: open, write, read, flush, close; one at a time, each answered.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Socket } from 'node:net'
import { AppError, isErrorInfo } from '../../../shared/errors'

export const PROTOCOL_VERSION = 1
export const SECRET_BYTES = 32
const NONCE_BYTES = 32
const MAX_HEADER = 64 * 1024
/** Writes come in blocks of at most 4 MiB; a little more is allowed, nothing absurd. */
export const MAX_BODY = 16 * 1024 * 1024

export type Header = { type: string } & Record<string, unknown>

export interface Frame {
  header: Header
  body: Uint8Array
}

export function encodeFrame(header: Header, body: Uint8Array = new Uint8Array(0)): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const prefix = Buffer.alloc(8)
  prefix.writeUInt32BE(json.length, 0)
  prefix.writeUInt32BE(body.length, 4)
  return Buffer.concat([prefix, json, body])
}

export function protocolError(message: string): AppError {
  return new AppError('UNAUTHORIZED', `Elevated helper: ${message}`, { component: 'disk helper' })
}

/** Frames from a socket, in order; a malformed or oversized frame ends the connection. */
export class FrameReader {
  private buffered: Buffer[] = []
  private length = 0
  private waiting: { resolve: (f: Frame) => void; reject: (e: Error) => void } | null = null
  private failure: Error | null = null
  private readonly frames: Frame[] = []
  /** The other side hung up (as opposed to sending something malformed). */
  closed = false

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.push(chunk))
    socket.on('close', () => {
      this.closed = true
      this.fail(protocolError('the connection closed'))
    })
    socket.on('error', (error) => this.fail(protocolError(`connection error: ${error.message}`)))
  }

  next(): Promise<Frame> {
    const frame = this.frames.shift()
    if (frame) return Promise.resolve(frame)
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }))
  }

  private push(chunk: Buffer): void {
    this.buffered.push(chunk)
    this.length += chunk.length
    while (this.length >= 8) {
      const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered)
      this.buffered = [all]
      const headerLength = all.readUInt32BE(0)
      const bodyLength = all.readUInt32BE(4)
      if (headerLength > MAX_HEADER || bodyLength > MAX_BODY) {
        this.fail(protocolError(`frame too large (${headerLength} + ${bodyLength} bytes)`))
        this.socket.destroy()
        return
      }
      if (all.length < 8 + headerLength + bodyLength) return
      let header: Header
      try {
        header = JSON.parse(all.subarray(8, 8 + headerLength).toString('utf8')) as Header
        if (typeof header !== 'object' || header === null || typeof header.type !== 'string') throw new Error('no type')
      } catch {
        this.fail(protocolError('malformed frame header'))
        this.socket.destroy()
        return
      }
      const body = new Uint8Array(all.subarray(8 + headerLength, 8 + headerLength + bodyLength))
      const rest = all.subarray(8 + headerLength + bodyLength)
      this.buffered = rest.length ? [rest] : []
      this.length = rest.length
      this.deliver({ header, body })
    }
  }

  private deliver(frame: Frame): void {
    const waiting = this.waiting
    this.waiting = null
    if (waiting) waiting.resolve(frame)
    else this.frames.push(frame)
  }

  private fail(error: Error): void {
    this.failure ??= error
    const waiting = this.waiting
    this.waiting = null
    waiting?.reject(this.failure)
  }
}

export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('hex')
}

export function proof(secret: Buffer, role: 'engine' | 'helper', nonce: string): string {
  return createHmac('sha256', secret).update(`${role}:${nonce}`).digest('hex')
}

export function proofMatches(secret: Buffer, role: 'engine' | 'helper', nonce: string, claimed: unknown): boolean {
  if (typeof claimed !== 'string' || !/^[0-9a-f]{64}$/.test(claimed)) return false
  return timingSafeEqual(Buffer.from(proof(secret, role, nonce), 'hex'), Buffer.from(claimed, 'hex'))
}

export function expectType(frame: Frame, type: string): Header {
  if (frame.header.type === 'error') throw isErrorInfo(frame.header.error) ? AppError.fromInfo(frame.header.error) : protocolError('malformed error')
  if (frame.header.type !== type) throw protocolError(`expected ${type}, got ${frame.header.type}`)
  return frame.header
}
