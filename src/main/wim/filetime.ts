/** Windows FILETIME: 100-ns intervals since 1601-01-01 UTC, as stored in WIM dentries and XML. */
const EPOCH_DIFF_100NS = 116444736000000000n

export function filetimeToMs(filetime: bigint): number {
  return Number((filetime - EPOCH_DIFF_100NS) / 10000n)
}

/** Whole filetime to seconds + nanoseconds since the Unix epoch (for utimes with full precision). */
export function filetimeToUnix(filetime: bigint): { seconds: number; nanoseconds: number } {
  const since = filetime - EPOCH_DIFF_100NS
  const seconds = since >= 0n ? since / 10000000n : -((-since + 9999999n) / 10000000n)
  return { seconds: Number(seconds), nanoseconds: Number((since - seconds * 10000000n) * 100n) }
}

export function msToFiletime(ms: number): bigint {
  return BigInt(Math.round(ms)) * 10000n + EPOCH_DIFF_100NS
}

/** From a stat's nanosecond timestamp (bigint stats), keeping all the precision a FILETIME has. */
export function nsToFiletime(ns: bigint): bigint {
  return ns / 100n + EPOCH_DIFF_100NS
}

export function filetimeToIso(filetime: bigint): string | null {
  if (filetime === 0n) return null
  const ms = filetimeToMs(filetime)
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : null
}
