/** ComputerName (Shell-Setup, specialize pass): the name the installed Windows gets instead of a made-up one. */
import type { OptionWriter } from '../answer-file'

export const writeComputerName: OptionWriter = (options, file) => {
  if (options.computerName === undefined) return
  file.set('specialize', 'Microsoft-Windows-Shell-Setup', { ComputerName: options.computerName })
}
