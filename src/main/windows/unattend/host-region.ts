/** Where the host's regional identity comes from: what the engine passes to regionalDefaults. */
import type { HostRegion } from './host-defaults'

/**
 * The host's locales in order of preference: the POSIX variables a Linux desktop sets (LC_ALL
 * overrides LANG), then the runtime's default locale (what Windows and macOS report), and
 * the runtime's time zone (which follows TZ and the system setting).
 */
export function hostRegion(env: Readonly<Record<string, string | undefined>> = process.env): HostRegion {
  const runtime = Intl.DateTimeFormat().resolvedOptions()
  const locales = [env.LC_ALL, env.LANG, runtime.locale].filter((l): l is string => l !== undefined && l !== '')
  return { locales, timeZone: runtime.timeZone }
}
