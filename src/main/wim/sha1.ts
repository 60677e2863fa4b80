import { createHash } from 'node:crypto'
import { SHA1_SIZE } from './constants'

export const ZERO_HASH = new Uint8Array(SHA1_SIZE)

export function isZeroHash(hash: Uint8Array): boolean {
  for (let i = 0; i < hash.length; i++) if (hash[i] !== 0) return false
  return true
}

export function toHex(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('hex')
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

export function sha1(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex')
}
