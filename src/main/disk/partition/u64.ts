import { corrupt, type Origin } from './corrupt'

/**
 * A 64-bit little-endian LBA or size field as a plain number. Values past 2^53 cannot be
 * exact and no disk is that large, so they are corruption, reported rather than rounded.
 */
export function readSafeU64(view: DataView, at: number, origin: Origin, field: string): number {
  const value = view.getBigUint64(at, true)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(origin, `${field} is ${value}, beyond any disk`, field)
  return Number(value)
}

export function writeU64(view: DataView, at: number, value: number): void {
  view.setBigUint64(at, BigInt(value), true)
}
