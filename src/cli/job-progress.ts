import type { Client } from '../shared/client'
import { formatBytes, formatDuration, formatRate, percent } from '../shared/format'
import type { AppEvent } from '../shared/contract'
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
 * Starts a job and follows it until it ends: a redrawn bar on a terminal, plain lines (one
 * per phase and every 10 %) when piped to a file, warnings and errors from the job's log as
 * they come. Events are listened to before the job starts, so even its first phase, which can
 * begin before `start` resolves, is shown. Ctrl+C asks the job to cancel and waits for it to
 * stop cleanly.
 */
export function followJob(client: Client, start: () => Promise<JobSnapshot>, out: ProgressOutput): Promise<JobSnapshot> {
  return new Promise((resolve, reject) => {
    let id: string | null = null
    const early: AppEvent[] = []
    let lastPhase: string | null = null
    let lastDecile = -1
    let drawn = false
    const clear = (): void => {
      if (drawn) out.write('\r\x1b[2K')
      drawn = false
    }
    let ended = false
    const stop = (): void => {
      ended = true
      unsubscribe()
      process.off('SIGINT', onInterrupt)
    }
    const onJob = (job: JobSnapshot): void => {
      if (job.state !== 'running') {
        clear()
        stop()
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
    const onEvent = (event: AppEvent): void => {
      if (event.type === 'job' && event.job.id === id) onJob(event.job)
      if (event.type === 'job.log' && event.jobId === id && (event.line.level === 'warn' || event.line.level === 'error')) {
        clear()
        out.write(`${event.line.level}: ${event.line.message}\n`)
      }
    }
    let cancelling = false
    const cancel = (): void => void client.api.jobs.cancel({ id: id! })
    const onInterrupt = (): void => {
      clear()
      out.write('Cancelling...\n')
      cancelling = true
      if (id !== null) cancel()
    }
    const unsubscribe = client.subscribe((event) => (id === null ? early.push(event) : onEvent(event)))
    process.on('SIGINT', onInterrupt)
    start().then(
      (started) => {
        id = started.id
        for (const event of early.splice(0)) onEvent(event)
        if (cancelling && !ended) cancel()
      },
      (error: unknown) => {
        stop()
        reject(error)
      },
    )
  })
}
