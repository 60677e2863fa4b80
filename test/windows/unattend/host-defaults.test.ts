import { describe, expect, it } from 'vitest'
import {
  buildAutounattend,
  defaultInputProfile,
  displayLanguageFor,
  hostRegion,
  regionalDefaults,
  WINDOWS_DISPLAY_LANGUAGES,
  windowsLocaleName,
  windowsTimeZoneFor,
} from '../../../src/main/windows/unattend'

describe('host locale to Windows locale name', () => {
  it.each([
    ['en_US.UTF-8', 'en-US'],
    ['de_DE@euro', 'de-DE'],
    ['de_CH.utf8', 'de-CH'],
    ['  fr_FR  ', 'fr-FR'],
    ['ja_JP.eucJP', 'ja-JP'],
    ['fr-CA-u-ca-gregory', 'fr-CA'],
    // glibc's script modifier, and Windows names that keep the script
    ['sr_RS@latin', 'sr-Latn-RS'],
    ['sr_RS', 'sr-Cyrl-RS'],
    ['az_AZ', 'az-Latn-AZ'],
    // Windows leaves the script out of Chinese names
    ['zh_CN.GB18030', 'zh-CN'],
    ['zh-Hant-TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    // no region: the language's most likely one
    ['pt', 'pt-BR'],
    ['en', 'en-US'],
    // old or macro language codes Windows spells otherwise
    ['no_NO', 'nb-NO'],
    ['iw_IL', 'he-IL'],
    ['es-419', 'es-419'],
  ])('%s → %s', (host, windows) => {
    expect(windowsLocaleName(host)).toBe(windows)
  })

  it.each(['C', 'C.UTF-8', 'POSIX', '', 'xx_YY', 'de_XX', 'not a locale!'])('%j has no Windows name', (host) => {
    expect(windowsLocaleName(host)).toBeUndefined()
  })
})

describe('IANA zone to Windows time zone', () => {
  it.each([
    ['Europe/Berlin', 'W. Europe Standard Time'],
    ['Europe/Paris', 'Romance Standard Time'],
    ['Europe/London', 'GMT Standard Time'],
    ['America/New_York', 'Eastern Standard Time'],
    ['America/Chicago', 'Central Standard Time'],
    ['America/Los_Angeles', 'Pacific Standard Time'],
    ['America/Sao_Paulo', 'E. South America Standard Time'],
    ['Asia/Tokyo', 'Tokyo Standard Time'],
    ['Australia/Sydney', 'AUS Eastern Standard Time'],
    ['Africa/Johannesburg', 'South Africa Standard Time'],
    ['Etc/UTC', 'UTC'],
    ['Etc/GMT+5', 'SA Pacific Standard Time'],
    // current IANA names and links, reached through the runtime's canonical CLDR names
    ['Asia/Kolkata', 'India Standard Time'],
    ['Europe/Kyiv', 'FLE Standard Time'],
    ['US/Pacific', 'Pacific Standard Time'],
    ['America/Argentina/Buenos_Aires', 'Argentina Standard Time'],
    ['UTC', 'UTC'],
    ['GMT', 'UTC'],
    // changes CLDR made after the rules did: Mexico without DST, one zone for Kazakhstan
    ['America/Chihuahua', 'Central Standard Time (Mexico)'],
    ['Asia/Almaty', 'West Asia Standard Time'],
  ])('%s → %s', (zone, windows) => {
    expect(windowsTimeZoneFor(zone)).toBe(windows)
  })

  it.each(['Mars/Olympus', '', 'Antarctica/Troll'])('%j has none', (zone) => {
    expect(windowsTimeZoneFor(zone)).toBeUndefined()
  })
})

describe('display language from what the image has', () => {
  it('takes the same locale, then the same language (its most likely region first), then en-US', () => {
    expect(displayLanguageFor('de-DE', ['en-US', 'de-DE'])).toEqual({ language: 'de-DE', matched: true })
    expect(displayLanguageFor('de-AT', ['en-US', 'de-DE'])).toEqual({ language: 'de-DE', matched: true })
    expect(displayLanguageFor('pt-AO', ['pt-PT', 'pt-BR'])).toEqual({ language: 'pt-BR', matched: true })
    expect(displayLanguageFor('sr-Cyrl-RS', ['en-US', 'sr-Latn-RS'])).toEqual({ language: 'sr-Latn-RS', matched: true })
    expect(displayLanguageFor('fi-FI', ['sv-SE', 'en-US'])).toEqual({ language: 'en-US', matched: false })
    expect(displayLanguageFor('fi-FI', ['sv-SE'])).toEqual({ language: 'sv-SE', matched: false })
  })

  it("answers in Windows' spelling whatever the image XML's, passing over what is no language", () => {
    expect(displayLanguageFor('en-GB', ['en-gb', 'en-us'])).toEqual({ language: 'en-GB', matched: true })
    expect(displayLanguageFor('de-DE', ['', 'qq-ZZ!', 'fr-fr'])).toEqual({ language: 'fr-FR', matched: false })
    expect(displayLanguageFor('de-DE', ['??'])).toEqual({ language: 'en-US', matched: false })
  })
})

describe('regional defaults for a host', () => {
  it('follow a German host', () => {
    expect(regionalDefaults({ locales: ['de_DE.UTF-8'], timeZone: 'Europe/Berlin' })).toEqual({
      settings: { uiLanguage: 'de-DE', systemLocale: 'de-DE', userLocale: 'de-DE', inputLocale: '0407:00000407', timeZone: 'W. Europe Standard Time' },
      fallbacks: [],
    })
  })

  it("keep the host's formats and keyboard when the image lacks its language", () => {
    expect(regionalDefaults({ locales: ['en_AU.UTF-8'], timeZone: 'Australia/Sydney' }, ['en-GB', 'fr-FR'])).toEqual({
      settings: { uiLanguage: 'en-GB', systemLocale: 'en-AU', userLocale: 'en-AU', inputLocale: '0c09:00000409', timeZone: 'AUS Eastern Standard Time' },
      fallbacks: [],
    })
    expect(regionalDefaults({ locales: ['de_AT.UTF-8'], timeZone: 'Europe/Vienna' }, ['fr-FR']).fallbacks).toEqual(['uiLanguage'])
  })

  it("skip host locales without a Windows name (LC_ALL=C) for the next one", () => {
    const defaults = regionalDefaults({ locales: ['C.UTF-8', 'fr_CA.UTF-8'], timeZone: 'America/Toronto' })
    expect(defaults.settings).toEqual({ uiLanguage: 'fr-CA', systemLocale: 'fr-CA', userLocale: 'fr-CA', inputLocale: '0c0c:00001009', timeZone: 'Eastern Standard Time' })
    expect(defaults.fallbacks).toEqual([])
  })

  it('fall back to en-US and UTC, and say so, when nothing maps', () => {
    expect(regionalDefaults({ locales: ['C'], timeZone: 'Mars/Olympus' })).toEqual({
      settings: { uiLanguage: 'en-US', systemLocale: 'en-US', userLocale: 'en-US', inputLocale: '0409:00000409', timeZone: 'UTC' },
      fallbacks: ['uiLanguage', 'systemLocale', 'userLocale', 'inputLocale', 'timeZone'],
    })
    expect(regionalDefaults({ locales: [] }).fallbacks).toContain('timeZone')
  })

  it('give keyboards as LCID:KLID where the table knows them, else the locale name Setup documents for the default', () => {
    expect(defaultInputProfile('nl-NL')).toBe('0413:00020409')
    expect(defaultInputProfile('fr-CH')).toBe('100c:0000100c')
    expect(defaultInputProfile('ja-JP')).toBe('ja-JP')
    expect(regionalDefaults({ locales: ['ko_KR.UTF-8'], timeZone: 'Asia/Seoul' }).settings.inputLocale).toBe('ko-KR')
  })

  it('are always options the builder accepts', () => {
    const hosts = ['en_US.UTF-8', 'de_CH.UTF-8', 'sr_RS@latin', 'zh_TW.UTF-8', 'es-419', 'C', 'ja_JP.UTF-8', 'pt_BR']
    for (const locale of hosts) {
      const { settings } = regionalDefaults({ locales: [locale], timeZone: 'Asia/Kolkata' })
      expect(() => buildAutounattend({ architectures: ['amd64'], regional: settings }), locale).not.toThrow()
    }
    for (const language of WINDOWS_DISPLAY_LANGUAGES) expect(windowsLocaleName(language), language).toBe(language)
  })
})

describe('the host region', () => {
  it('prefers LC_ALL, then LANG, then the runtime locale, skipping empty variables', () => {
    const runtime = Intl.DateTimeFormat().resolvedOptions()
    expect(hostRegion({ LC_ALL: 'fr_FR.UTF-8', LANG: 'de_DE.UTF-8' }).locales).toEqual(['fr_FR.UTF-8', 'de_DE.UTF-8', runtime.locale])
    expect(hostRegion({ LC_ALL: '', LANG: 'de_DE.UTF-8' })).toEqual({ locales: ['de_DE.UTF-8', runtime.locale], timeZone: runtime.timeZone })
    expect(hostRegion({}).locales).toEqual([runtime.locale])
  })
})
