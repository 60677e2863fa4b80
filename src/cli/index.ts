/** `imaging`: the command-line front end over the same service as the app window. */
import { Command, CommanderError } from 'commander'
import { version } from '../../package.json'
import { registerDisk } from './commands/disk'
import { registerEnv } from './commands/env'
import { registerMedia } from './commands/media'
import { registerSelfTest } from './commands/self-test'
import { registerWim } from './commands/wim'
import { exitCodeFor, reportError } from './context'

export function buildProgram(): Command {
  const program = new Command('imaging')
    .description('Imaging Workstation: bootable Windows media, WIM capture and apply, disk imaging.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    // Subcommands own their options; `wim update` passes its edits through in order.
    .enablePositionalOptions()
    .exitOverride()
  registerEnv(program)
  registerDisk(program)
  registerWim(program)
  registerMedia(program)
  registerSelfTest(program)
  return program
}

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2)
    reportError(error)
    process.exit(exitCodeFor(error))
  })
