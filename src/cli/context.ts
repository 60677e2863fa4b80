import { createClient, type Client } from '../shared/client'
import type { JobSnapshot } from '../shared/jobs'
import { AppError, formatErrorInfo, toErrorInfo } from '../shared/errors'
import { createEngine, type EngineOptions } from '../main/api/engine'
import { followJob } from './job-progress'

/** Runs one CLI command against an in-process engine through the same typed client the UI uses. */
export async function withClient<T>(run: (client: Client) => Promise<T>, options: EngineOptions = {}): Promise<T> {
  const engine = await createEngine(options)
  try {
    return await run(createClient(engine.service.localTransport()))
  } finally {
    await engine.close()
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Exit codes: 1 failure, 2 bad usage or arguments, 130 cancelled (as after Ctrl+C). */
export function exitCodeFor(error: unknown): number {
  const info = toErrorInfo(error)
  if (info.code === 'VALIDATION' || info.code === 'UNKNOWN_METHOD') return 2
  if (info.code === 'CANCELLED') return 130
  return 1
}

export function reportError(error: unknown): void {
  const info = toErrorInfo(error)
  process.stderr.write(`imaging: ${formatErrorInfo(info)}\n`)
  if (info.code === 'INTERNAL' && !(error instanceof AppError) && error instanceof Error && process.env.IMAGING_DEBUG) {
    process.stderr.write(`${error.stack ?? ''}\n`)
  }
}

/**
 * Starts a job and follows it to the end with progress on stderr (a bar on a terminal,
 * plain lines otherwise); returns its result, or throws its error.
 */
export async function runJobCommand<T>(start: (client: Client) => Promise<JobSnapshot>): Promise<T> {
  const job = await withClient(async (client) =>
    followJob(client, () => start(client), {
      isTTY: Boolean(process.stderr.isTTY),
      columns: process.stderr.columns ?? 100,
      write: (t) => process.stderr.write(t),
    }),
  )
  if (job.state !== 'succeeded') throw AppError.fromInfo(job.error ?? { code: 'INTERNAL', message: 'The job ended without a result' })
  return job.result as T
}
