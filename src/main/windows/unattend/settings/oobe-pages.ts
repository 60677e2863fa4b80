/**
 * OOBE pages that need no answer from a technician (Shell-Setup | OOBE, oobeSystem pass):
 * ProtectYourPC 3 turns the privacy settings (diagnostic data, location, tailored experiences,
 * ...) off and skips their page; HideOEMRegistrationScreen skips the OEM's registration page;
 * HideWirelessSetupInOOBE skips the wireless-network page, which also means OOBE does not get
 * the machine online.
 */
import type { OptionWriter } from '../answer-file'

export const writeOobePages: OptionWriter = (options, file) => {
  if (options.skipPrivacyQuestions) {
    file.set('oobeSystem', 'Microsoft-Windows-Shell-Setup', { OOBE: { HideOEMRegistrationScreen: 'true', ProtectYourPC: '3' } })
  }
  if (options.hideWirelessSetup) {
    file.set('oobeSystem', 'Microsoft-Windows-Shell-Setup', { OOBE: { HideWirelessSetupInOOBE: 'true' } })
  }
}
