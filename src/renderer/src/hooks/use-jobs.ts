import { useCallback, useEffect, useState } from 'react'
import type { JobDetail, JobSnapshot, LogLine } from '../../../shared/jobs'
import { useAppEvents, useClient } from '../client-context'

/** All jobs, newest first: one fetch, then kept current from `job` events. */
export function useJobs(): { jobs: JobSnapshot[]; error: string | null } {
  const client = useClient()
  const [jobs, setJobs] = useState<JobSnapshot[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    client.api.jobs.list({}).then(
      (list) => setJobs((current) => merge(list, current)),
      (e: Error) => setError(e.message),
    )
  }, [client])
  useAppEvents((event) => {
    if (event.type === 'job') setJobs((current) => merge([event.job], current))
  })
  return { jobs, error }
}

function merge(incoming: JobSnapshot[], current: JobSnapshot[]): JobSnapshot[] {
  const byId = new Map(current.map((j) => [j.id, j]))
  for (const job of incoming) byId.set(job.id, job)
  return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt)
}

/** One job's log: fetched once, then appended from `job.log` events. */
export function useJobLog(id: string | null): { log: LogLine[]; reload: () => void } {
  const client = useClient()
  const [log, setLog] = useState<LogLine[]>([])
  const reload = useCallback(() => {
    if (!id) return
    client.api.jobs.get({ id }).then(
      (detail: JobDetail) => setLog(detail.log),
      () => setLog([]),
    )
  }, [client, id])
  useEffect(reload, [reload])
  useAppEvents((event) => {
    if (event.type === 'job.log' && event.jobId === id) setLog((current) => [...current.slice(-1999), event.line])
  })
  return { log, reload }
}
