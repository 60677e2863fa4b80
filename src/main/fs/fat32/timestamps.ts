/**
 * FAT dates and times. FAT keeps wall-clock time with no zone; we store UTC, so a volume
 * made from the same input is the same on every host whatever its time zone.
 */
const FAT_EPOCH_YEAR = 1980
const LAST_YEAR = FAT_EPOCH_YEAR + 127
const FIRST_MS = Date.UTC(FAT_EPOCH_YEAR, 0, 1)
const LAST_MS = Date.UTC(LAST_YEAR, 11, 31, 23, 59, 59, 990)

export interface FatTimestamp {
  /** Bits 15-9 year since 1980, 8-5 month, 4-0 day. */
  date: number
  /** Bits 15-11 hours, 10-5 minutes, 4-0 seconds / 2. */
  time: number
  /** The creation time's extra precision: 10 ms units, 0-199, adding the odd second. */
  tenMs: number
}

/** A date clamped to what FAT can hold (1980 to 2107). */
export function encodeFatTimestamp(when: Date): FatTimestamp {
  const d = new Date(Math.min(LAST_MS, Math.max(FIRST_MS, when.getTime())))
  return {
    date: ((d.getUTCFullYear() - FAT_EPOCH_YEAR) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    tenMs: (d.getUTCSeconds() & 1) * 100 + Math.floor(d.getUTCMilliseconds() / 10),
  }
}

/** The instant a stored date and time stand for; out-of-range fields are clamped, never rejected. */
export function decodeFatTimestamp({ date, time, tenMs }: FatTimestamp): Date {
  const year = FAT_EPOCH_YEAR + (date >> 9)
  const month = Math.min(12, Math.max(1, (date >> 5) & 0x0f))
  const day = Math.max(1, date & 0x1f)
  const ms = Math.min(tenMs, 199) * 10
  return new Date(Date.UTC(year, month - 1, day, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2) + ms)
}
