/** Every option's writer, in the order they fill the answer file (commands run in this order). */
import type { OptionWriter } from '../answer-file'
import { writeComputerName } from './computer-name'
import { writeDeviceEncryption } from './device-encryption'
import { writeHardwareChecks } from './hardware-checks'
import { writeLicense } from './license'
import { writeLocalAccount } from './local-account'
import { writeOnlineAccount } from './online-account'
import { writeOobePages } from './oobe-pages'
import { writeRegional } from './regional'

export const OPTION_WRITERS: readonly OptionWriter[] = [
  writeHardwareChecks,
  writeRegional,
  writeComputerName,
  writeOnlineAccount,
  writeDeviceEncryption,
  writeOobePages,
  writeLocalAccount,
  // Last: it completes Microsoft-Windows-Setup in windowsPE, whoever else wrote there.
  writeLicense,
]
