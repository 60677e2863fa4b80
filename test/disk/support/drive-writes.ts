import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'
import { createClient, type Client } from '../../../src/shared/client'
import type { DriveWriteResult, WritePreparation } from '../../../src/shared/drives'
import { startConfirmedWrite, type RequestedWriteOperation } from '../../../src/shared/drive-writes'
import type { JobDetail, JobSnapshot } from '../../../src/shared/jobs'
import type { Engine } from '../../../src/main/api/engine'

export interface WriteCall {
  target: string
  operation: RequestedWriteOperation
  verify?: boolean
  createSizeBytes?: number
}

/** The destructive call that matches a prepared operation, as a front end makes it. */
export function startWrite(client: Client, call: WriteCall, confirmation: { token: string; typed?: string }): Promise<JobSnapshot> {
  return startConfirmedWrite(client.api, { target: call.target, verify: call.verify, createSizeBytes: call.createSizeBytes, confirmation }, call.operation)
}

export function clientOf(engine: Engine): Client {
  return createClient(engine.service.localTransport())
}

/** prepareWrite, then the write with its token, then the job to its end. */
export async function confirmAndWrite(engine: Engine, call: WriteCall, typed?: string): Promise<{ prep: WritePreparation; job: JobDetail }> {
  const client = clientOf(engine)
  const prep = await client.api.drives.prepareWrite(call)
  const started = await startWrite(client, call, { token: prep.token, ...(typed === undefined ? {} : { typed }) })
  await engine.jobs.wait(started.id)
  return { prep, job: engine.jobs.get(started.id) }
}

export function resultOf(job: JobDetail): DriveWriteResult {
  if (job.state !== 'succeeded') throw new Error(`job ${job.state}: ${JSON.stringify(job.error)}\n${job.log.map((l) => l.message).join('\n')}`)
  return job.result as DriveWriteResult
}

/** SHA-256 of a byte range of a file or device. */
export function sha256Of(path: string, offset = 0, length?: number): string {
  const fd = openSync(path, 'r')
  try {
    const hash = createHash('sha256')
    const buffer = Buffer.alloc(4 * 1024 * 1024)
    for (let at = offset; length === undefined || at < offset + length; ) {
      const n = readSync(fd, buffer, 0, length === undefined ? buffer.length : Math.min(buffer.length, offset + length - at), at)
      if (n === 0) break
      hash.update(buffer.subarray(0, n))
      at += n
    }
    return hash.digest('hex')
  } finally {
    closeSync(fd)
  }
}
