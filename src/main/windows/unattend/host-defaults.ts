/**
 * Regional settings that default to the host's: the technician building media is usually in
 * the country the machines are for. Pure functions from what a host reports (POSIX locale
 * variables or BCP 47 tags, an IANA zone) to what Setup reads (Windows locale names, input
 * profiles, Windows time zone IDs), with a stated fallback when there is no Windows equivalent.
 */
import type { RegionalSettings } from '../../../shared/unattend'
import { defaultInputProfile, WINDOWS_DISPLAY_LANGUAGES } from './languages'
import { windowsTimeZoneFor } from './time-zones'

export const FALLBACK_LOCALE = 'en-US'
export const FALLBACK_TIME_ZONE = 'UTC'

/** A host's regional identity: locales in the host's order of preference, and its IANA zone. */
export interface HostRegion {
  locales: readonly string[]
  timeZone?: string
}

export interface RegionalDefaults {
  settings: RegionalSettings
  /** Settings for which the host had no Windows equivalent, so en-US or UTC was chosen instead. */
  fallbacks: Array<keyof RegionalSettings>
}

// glibc names a locale language_REGION.codeset@modifier; only the script modifiers say anything about it.
const POSIX_LOCALE = /^([A-Za-z]{2,3})(?:_([A-Za-z]{2}|[0-9]{3}))?(?:\.[^@]*)?(?:@([A-Za-z]+))?$/
const POSIX_SCRIPTS: ReadonlyMap<string, string> = new Map([
  ['latin', 'Latn'],
  ['cyrillic', 'Cyrl'],
])
const NEUTRAL_LOCALES = new Set(['', 'C', 'POSIX'])
/** Languages whose Windows locale names carry the script (sr-Latn-RS); all others leave it out (zh-TW, not zh-Hant-TW). */
const SCRIPTED_LANGUAGES = new Set(['az', 'bs', 'ha', 'iu', 'sr', 'uz'])
/** Windows names Norwegian Bokmål nb; hosts often say no. */
const LANGUAGE_ALIASES: ReadonlyMap<string, string> = new Map([['no', 'nb']])

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' })

/**
 * The Windows locale name (en-US, sr-Latn-RS) for a host locale such as de_DE.UTF-8,
 * sr_RS@latin, pt or zh-Hant-TW, or undefined for C/POSIX and for languages or regions
 * unknown to CLDR. A locale without a region gets the language's most likely one (pt: pt-BR).
 */
export function windowsLocaleName(hostLocale: string): string | undefined {
  const trimmed = hostLocale.trim()
  if (NEUTRAL_LOCALES.has(trimmed.split('.')[0]!)) return undefined
  const posix = POSIX_LOCALE.exec(trimmed)
  const script = posix?.[3] === undefined ? undefined : POSIX_SCRIPTS.get(posix[3].toLowerCase())
  const tag = posix ? [posix[1], script, posix[2]].filter(Boolean).join('-') : trimmed
  let locale: Intl.Locale
  try {
    locale = new Intl.Locale(tag)
  } catch {
    return undefined // not a BCP 47 tag either
  }
  const full = locale.region === undefined || (locale.script === undefined && SCRIPTED_LANGUAGES.has(locale.language)) ? locale.maximize() : locale
  const language = LANGUAGE_ALIASES.get(full.language) ?? full.language
  if (full.region === undefined || languageNames.of(language) === undefined || regionNames.of(full.region) === undefined) return undefined
  return [language, SCRIPTED_LANGUAGES.has(language) ? full.script : undefined, full.region].filter(Boolean).join('-')
}

/**
 * The language Setup and Windows should speak: the host's locale if the image has it, else
 * the image's variant of the same language (the one of the language's most likely region
 * first: en-US for en-AU, pt-BR for pt-AO), else en-US, else the image's first language.
 */
export function displayLanguageFor(localeName: string, available: readonly string[]): { language: string; matched: boolean } {
  // Image XML may spell languages in any case (en-us) and Setup wants Windows' spelling; what has none cannot be chosen.
  const languages = available.flatMap((l) => windowsLocaleName(l) ?? [])
  const exact = languages.find((l) => l === localeName)
  if (exact) return { language: exact, matched: true }
  const primary = new Intl.Locale(localeName).language
  const sameLanguage = languages.filter((l) => new Intl.Locale(l).language === primary)
  const likely = windowsLocaleName(primary)
  const close = sameLanguage.find((l) => l === likely) ?? sameLanguage[0]
  if (close) return { language: close, matched: true }
  return { language: languages.find((l) => l === FALLBACK_LOCALE) ?? languages[0] ?? FALLBACK_LOCALE, matched: false }
}

/**
 * Regional settings from the host: its first locale that has a Windows name for the formats,
 * keyboard and non-Unicode language, the closest language the image has for the display
 * language, and its zone's Windows time zone. `imageLanguages` are the languages of the
 * target image (from its WIM XML); without them, any Windows display language may be chosen.
 */
export function regionalDefaults(host: HostRegion, imageLanguages?: readonly string[]): RegionalDefaults {
  const fallbacks: Array<keyof RegionalSettings> = []
  const hostLocale = host.locales.map(windowsLocaleName).find((name) => name !== undefined)
  if (hostLocale === undefined) fallbacks.push('systemLocale', 'userLocale', 'inputLocale')
  const locale = hostLocale ?? FALLBACK_LOCALE
  const display = displayLanguageFor(locale, imageLanguages?.length ? imageLanguages : WINDOWS_DISPLAY_LANGUAGES)
  if (!display.matched || hostLocale === undefined) fallbacks.unshift('uiLanguage')
  const timeZone = host.timeZone === undefined ? undefined : windowsTimeZoneFor(host.timeZone)
  if (timeZone === undefined) fallbacks.push('timeZone')
  return {
    settings: {
      uiLanguage: display.language,
      systemLocale: locale,
      userLocale: locale,
      inputLocale: defaultInputProfile(locale),
      timeZone: timeZone ?? FALLBACK_TIME_ZONE,
    },
    fallbacks,
  }
}
