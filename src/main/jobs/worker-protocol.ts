import type { ErrorInfo } from '../../shared/errors'

export interface WorkerRequest {
  id: number
  task: string
  input: unknown
}

export type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorInfo }

/**
 * The ArrayBuffers a message can give away: those of Uint8Arrays found in the value (at the
 * top, in plain objects or arrays, two levels deep) that own their whole buffer. A view on a
 * larger or shared buffer is copied instead, so a sender never loses memory it still uses.
 */
export function transferablesOf(value: unknown, depth = 0): ArrayBuffer[] {
  if (value instanceof Uint8Array) {
    const buffer = value.buffer
    return buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buffer.byteLength ? [buffer] : []
  }
  if (depth > 2 || typeof value !== 'object' || value === null) return []
  const items = Array.isArray(value) ? value : Object.values(value)
  const found = new Set<ArrayBuffer>()
  for (const item of items) for (const b of transferablesOf(item, depth + 1)) found.add(b)
  return [...found]
}
