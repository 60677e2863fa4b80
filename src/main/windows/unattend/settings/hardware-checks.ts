/**
 * Windows 11 Setup stops on hardware without TPM 2.0, Secure Boot, 4 GB of RAM, 64 GB of storage
 * or a supported CPU, and skips each check when a value under HKLM\SYSTEM\Setup\LabConfig in
 * the Windows PE registry is 1. Microsoft does not document LabConfig (it came from its test
 * labs), but Setup reads it and media tools such as Rufus rely on it. The documented key,
 * MoSetup\AllowUpgradesWithUnsupportedTPMOrCPU, only covers upgrades started from a running
 * Windows, not a clean install from USB. The values must exist before Setup checks, so
 * RunSynchronous commands of the windowsPE pass set them: those run as soon as Setup has read
 * the answer file. Windows 10 Setup does not read the key, so they do no harm there.
 */
import type { OptionWriter } from '../answer-file'
import { regAddDword } from '../registry'

const LAB_CONFIG = 'HKLM\\SYSTEM\\Setup\\LabConfig'

/** Each LabConfig value and the check it skips. */
export const HARDWARE_CHECK_BYPASSES = [
  ['BypassTPMCheck', 'TPM 2.0'],
  ['BypassSecureBootCheck', 'Secure Boot'],
  ['BypassRAMCheck', 'memory'],
  ['BypassStorageCheck', 'storage'],
  ['BypassCPUCheck', 'processor'],
] as const

export const writeHardwareChecks: OptionWriter = (options, file) => {
  if (!options.bypassHardwareChecks) return
  for (const [value, check] of HARDWARE_CHECK_BYPASSES) {
    file.runCommand('windowsPE', `Skip the Windows 11 ${check} check`, regAddDword(LAB_CONFIG, value, 1))
  }
}
