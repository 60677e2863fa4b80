import type { StructureView } from '../iso/structure-view'

const UNSPECIFIED_ZONE = -2047

/**
 * A UDF timestamp (ECMA-167 1/7.3), 12 bytes. A date that cannot be real reads as null:
 * a bad date is no reason to refuse a file.
 */
export function parseTimestamp(view: StructureView, at: number): Date | null {
  const typeAndZone = view.u16(at)
  const year = view.i16(at + 2)
  const [month, day, hour, minute, second, centis, hundredsOfMicros, micros] = view.slice(at + 4, 8)
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null
  let zone = typeAndZone & 0x0fff
  if (zone & 0x0800) zone -= 0x1000
  if (zone === UNSPECIFIED_ZONE || zone < -1440 || zone > 1440) zone = 0
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute - zone, second, centis * 10 + Math.floor((hundredsOfMicros * 100 + micros) / 1000))
  return date
}
