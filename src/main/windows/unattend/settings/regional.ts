/**
 * Language, formats, keyboard and time zone, each where Setup reads it:
 * - International-Core-WinPE (windowsPE): the language of Setup itself and of the installed
 *   system, so Setup's first page is skipped;
 * - International-Core (oobeSystem): the same for OOBE, so its region and keyboard pages are skipped;
 * - Shell-Setup | TimeZone (specialize): set before OOBE, which no longer asks for it.
 */
import type { OptionWriter } from '../answer-file'

export const writeRegional: OptionWriter = (options, file) => {
  const regional = options.regional
  if (!regional) return
  const locales = {
    InputLocale: regional.inputLocale,
    SystemLocale: regional.systemLocale,
    UILanguage: regional.uiLanguage,
    UserLocale: regional.userLocale,
  }
  file.set('windowsPE', 'Microsoft-Windows-International-Core-WinPE', { ...locales, SetupUILanguage: { UILanguage: regional.uiLanguage } })
  file.set('oobeSystem', 'Microsoft-Windows-International-Core', locales)
  file.set('specialize', 'Microsoft-Windows-Shell-Setup', { TimeZone: regional.timeZone })
}
