import type { Client } from '../shared/client'
import { formatBytes, formatDuration, formatRate, percent } from '../shared/format'
import type { JobSnapshot } from '../shared/jobs'

export interface ProgressOutput {
  isTTY: boolean
  columns: number
  write(text: string): void
}

function describe(job: JobSnapshot): string {
  const phase = job.phases.find((p) => p.id === job.phase)?.label ?? ''
  if (job.bytesTotal === null) return phase
  const amount = job.bytesTotal ? `${formatBytes(job.bytesDone)}/${formatBytes(job.bytesTotal)}` : formatBytes(job.bytesDone)
  return `${phase}  ${amount}  ${formatRate(job.rate)}  ETA ${formatDuration(job.etaSeconds)}`
}

export function progressLine(job: JobSnapshot, width: number): string {
  const pct = percent(job.bytesDone, job.bytesTotal)
  const barWidth = Math.max(10, Math.min(40, width - 70))
  const filled = pct === null ? 0 : Math.round((pct / 100) * barWidth)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`
  const text = `${bar} ${pct === null ? '  ?' : pct.toFixed(0).padStart(3)}%  ${describe(job)}`
  return text.length > width - 1 ? text.slice(0, width - 1) : text
}

/**
 * Follows a job until it ends: a redrawn bar on a terminal, plain lines (one per phase and
 * every 10 %) when piped to a file, warnings and errors from the job's log as they come.
 * Ctrl+C asks the job to cancel and waits for it to stop cleanly.
 */
export function followJob(client: Client, started: JobSnapshot, out: ProgressOutput): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    let lastPhase: string | null = null
    let lastDecile = -1
    let drawn = false
    const clear = (): void => {
      if (drawn) out.write('\r\x1b[2K')
      drawn = false
    }
    const onJob = (job: JobSnapshot): void => {
      if (job.state !== 'running') {
        clear()
        unsubscribe()
        process.off('SIGINT', onInterrupt)
        resolve(job)
        return
      }
      if (out.isTTY) {
        out.write(`\r\x1b[2K${progressLine(job, out.columns)}`)
        drawn = true
        return
      }
      const decile = Math.floor((percent(job.bytesDone, job.bytesTotal) ?? 0) / 10)
      if (job.phase === null) return
      if (job.phase !== lastPhase || decile > lastDecile) {
        lastPhase = job.phase
        lastDecile = decile
        const pct = percent(job.bytesDone, job.bytesTotal)
        out.write(`${pct === null ? '    ' : `${pct.toFixed(0).padStart(3)}%`}  ${describe(job)}\n`)
      }
    }
    const unsubscribe = client.subscribe((event) => {
      if (event.type === 'job' && event.job.id === started.id) onJob(event.job)
      if (event.type === 'job.log' && event.jobId === started.id && (event.line.level === 'warn' || event.line.level === 'error')) {
        clear()
        out.write(`${event.line.level}: ${event.line.message}\n`)
      }
    })
    const onInterrupt = (): void => {
      clear()
      out.write('Cancelling...\n')
      void client.api.jobs.cancel({ id: started.id })
    }
    process.on('SIGINT', onInterrupt)
    // The job may have ended before we subscribed.
    void client.api.jobs.get({ id: started.id }).then((job) => {
      if (job.state !== 'running') onJob(job)
    })
  })
}
