/**
 * Windows turns on BitLocker device encryption by itself at the end of OOBE on capable hardware
 * (on Windows 11 24H2 and later even with fewer prerequisites), and the recovery key then lives
 * only in the Microsoft account that signed in, if any. Microsoft's BitLocker guidance for OEMs
 * documents two switches: the answer-file setting PreventDeviceEncryption of the component
 * Microsoft-Windows-SecureStartup-FilterDriver, and the registry value PreventDeviceEncryption = 1
 * under HKLM\SYSTEM\CurrentControlSet\Control\BitLocker. The component's reference page is a
 * Windows 8 page that says not to use it on ordinary PCs, and it is not certain to exist for
 * every architecture, so the registry value is written instead, from the specialize pass:
 * that runs in the installed system before OOBE, where encryption would start.
 */
import type { OptionWriter } from '../answer-file'
import { regAddDword } from '../registry'

export const writeDeviceEncryption: OptionWriter = (options, file) => {
  if (!options.preventDeviceEncryption) return
  file.runCommand(
    'specialize',
    'Keep Windows from turning on BitLocker device encryption by itself',
    regAddDword('HKLM\\SYSTEM\\CurrentControlSet\\Control\\BitLocker', 'PreventDeviceEncryption', 1),
  )
}
