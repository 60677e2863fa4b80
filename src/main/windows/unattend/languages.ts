/** What Windows calls languages and keyboards, for the few places the builder has to choose one. */

/** The display languages Windows 10 and 11 ship language packs for: the possible Setup and UI languages. */
export const WINDOWS_DISPLAY_LANGUAGES = [
  'ar-SA', 'bg-BG', 'cs-CZ', 'da-DK', 'de-DE', 'el-GR', 'en-GB', 'en-US', 'es-ES', 'es-MX',
  'et-EE', 'fi-FI', 'fr-CA', 'fr-FR', 'he-IL', 'hr-HR', 'hu-HU', 'it-IT', 'ja-JP', 'ko-KR',
  'lt-LT', 'lv-LV', 'nb-NO', 'nl-NL', 'pl-PL', 'pt-BR', 'pt-PT', 'ro-RO', 'ru-RU', 'sk-SK',
  'sl-SI', 'sr-Latn-RS', 'sv-SE', 'th-TH', 'tr-TR', 'uk-UA', 'zh-CN', 'zh-TW',
] as const

/**
 * Default input profiles (input language LCID : keyboard layout ID) from Microsoft's table of
 * default input profiles, for the locales a technician most often has. A locale missing here
 * is written as its name, which Setup documents as "the default input locale for that
 * language": the same result, only less explicit in the preview. IME languages (Chinese,
 * Japanese, Korean) are left to that form on purpose: their profiles are GUID pairs.
 */
const DEFAULT_INPUT_PROFILES: ReadonlyMap<string, string> = new Map(Object.entries({
  'ar-SA': '0401:00000401',
  'bg-BG': '0402:00030402',
  'cs-CZ': '0405:00000405',
  'da-DK': '0406:00000406',
  'de-AT': '0c07:00000407',
  'de-CH': '0807:00000807',
  'de-DE': '0407:00000407',
  'el-GR': '0408:00000408',
  'en-AU': '0c09:00000409',
  'en-CA': '1009:00000409',
  'en-GB': '0809:00000809',
  'en-IE': '1809:00001809',
  'en-IN': '4009:00000409',
  'en-NZ': '1409:00000409',
  'en-US': '0409:00000409',
  'en-ZA': '1c09:00000409',
  'es-ES': '0c0a:0000040a',
  'es-MX': '080a:0000080a',
  'et-EE': '0425:00000425',
  'fi-FI': '040b:0000040b',
  'fr-BE': '080c:0000080c',
  'fr-CA': '0c0c:00001009',
  'fr-CH': '100c:0000100c',
  'fr-FR': '040c:0000040c',
  'hr-HR': '041a:0000041a',
  'hu-HU': '040e:0000040e',
  'is-IS': '040f:0000040f',
  'it-IT': '0410:00000410',
  'nb-NO': '0414:00000414',
  'nl-BE': '0813:00000813',
  'nl-NL': '0413:00020409',
  'pl-PL': '0415:00000415',
  'pt-BR': '0416:00000416',
  'pt-PT': '0816:00000816',
  'ru-RU': '0419:00000419',
  'sk-SK': '041b:0000041b',
  'sl-SI': '0424:00000424',
  'sv-SE': '041d:0000041d',
  'th-TH': '041e:0000041e',
  'tr-TR': '041f:0000041f',
}))

/** The input profile for a Windows locale name: its LCID:KLID when known, else the name itself. */
export function defaultInputProfile(localeName: string): string {
  return DEFAULT_INPUT_PROFILES.get(localeName) ?? localeName
}
