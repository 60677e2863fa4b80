/** Windows time zone IDs and the IANA zones behind them (CLDR's windowsZones, see windows-zones.ts). */
import { WINDOWS_ZONES } from './windows-zones'

/** Every Windows time zone ID the table knows, alphabetically: what a picker offers. */
export const WINDOWS_TIME_ZONE_IDS: readonly string[] = Object.keys(WINDOWS_ZONES)

const WINDOWS_ID_OF_ZONE = new Map(Object.entries(WINDOWS_ZONES).flatMap(([id, zones]) => zones.split(' ').map((zone) => [zone, id] as const)))

export function isWindowsTimeZone(id: string): boolean {
  return Object.hasOwn(WINDOWS_ZONES, id)
}

/**
 * The Windows time zone of an IANA zone, or undefined when there is none. CLDR's table keys
 * are CLDR's canonical names (Asia/Calcutta, Europe/Kiev, Etc/UTC) while hosts often report
 * current IANA names or links (Asia/Kolkata, Europe/Kyiv, US/Pacific, UTC); the runtime's Intl,
 * which uses the same CLDR identifiers, turns those into the canonical name.
 */
export function windowsTimeZoneFor(ianaZone: string): string | undefined {
  const canonical = canonicalZone(ianaZone)
  const candidates = canonical === undefined ? [ianaZone] : [ianaZone, canonical, `Etc/${canonical}`]
  for (const zone of candidates) {
    const id = WINDOWS_ID_OF_ZONE.get(zone)
    if (id !== undefined) return id
  }
  return undefined
}

function canonicalZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone
  } catch {
    return undefined // not a zone this runtime knows
  }
}
