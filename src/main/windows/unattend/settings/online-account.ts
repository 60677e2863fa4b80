/**
 * Setup without a Microsoft account. Three mechanisms exist, from the most to the least durable:
 * - a local account made by the answer file (the localAccount option): OOBE then asks for no
 *   account at all, online or not. This is the documented deployment path.
 * - OOBE | HideOnlineAccountScreens (Shell-Setup, oobeSystem, documented): OOBE leaves out the
 *   Microsoft-account screens and offers a local account instead.
 * - BypassNRO = 1 under HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\OOBE (undocumented),
 *   set in the specialize pass, before OOBE starts: OOBE's network page lets the user go on
 *   without a connection ("I don't have internet"). Microsoft removed the bypassnro.cmd script
 *   that set it from 2025 builds and is closing such workarounds, so it is only a fallback for
 *   the builds that still read it.
 * This option writes the last two; the first is the localAccount option.
 */
import type { OptionWriter } from '../answer-file'
import { regAddDword } from '../registry'

export const writeOnlineAccount: OptionWriter = (options, file) => {
  if (!options.skipOnlineAccount) return
  file.set('oobeSystem', 'Microsoft-Windows-Shell-Setup', { OOBE: { HideOnlineAccountScreens: 'true' } })
  file.runCommand('specialize', 'Let OOBE go on without a network connection', regAddDword('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\OOBE', 'BypassNRO', 1))
}
