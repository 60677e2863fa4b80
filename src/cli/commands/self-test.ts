import type { Command } from 'commander'
import { formatBytes, formatRate } from '../../shared/format'
import type { SelfTestResult } from '../../main/jobs/self-test'
import { printJson, runJobCommand } from '../context'

export function registerSelfTest(program: Command): void {
  program
    .command('self-test')
    .description('measure the worker pool: generate and SHA-1 hash data on every core (Ctrl+C cancels)')
    .option('--size <MiB>', 'amount of data', '512')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { size: string; json?: boolean }) => {
      const result = await runJobCommand<SelfTestResult>((client) => client.api.jobs.selfTest({ sizeMiB: Number(opts.size) }))
      if (opts.json) return printJson(result)
      process.stdout.write(
        `${formatBytes(result.bytes)} in ${result.seconds.toFixed(2)} s: ${formatRate(result.bytes / result.seconds)} on ${result.workers} workers (digest ${result.digest})\n`,
      )
    })
}
