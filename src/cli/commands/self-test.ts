import type { Command } from 'commander'
import { AppError } from '../../shared/errors'
import { formatBytes, formatRate } from '../../shared/format'
import type { SelfTestResult } from '../../main/jobs/self-test'
import { followJob } from '../job-progress'
import { printJson, withClient } from '../context'

export function registerSelfTest(program: Command): void {
  program
    .command('self-test')
    .description('measure the worker pool: generate and SHA-1 hash data on every core (Ctrl+C cancels)')
    .option('--size <MiB>', 'amount of data', '512')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { size: string; json?: boolean }) => {
      const job = await withClient(async (client) => {
        const started = await client.api.jobs.selfTest({ sizeMiB: Number(opts.size) })
        return followJob(client, started, { isTTY: Boolean(process.stderr.isTTY), columns: process.stderr.columns ?? 100, write: (t) => process.stderr.write(t) })
      })
      if (job.state !== 'succeeded') throw AppError.fromInfo(job.error ?? { code: 'INTERNAL', message: 'Job ended without a result' })
      const result = job.result as SelfTestResult
      if (opts.json) return printJson(result)
      process.stdout.write(
        `${formatBytes(result.bytes)} in ${result.seconds.toFixed(2)} s: ${formatRate(result.bytes / result.seconds)} on ${result.workers} workers (digest ${result.digest})\n`,
      )
    })
}
