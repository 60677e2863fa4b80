import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { AppError, formatErrorInfo, toErrorInfo } from '../../shared/errors'
import type { JobDetail, JobPhase, JobSnapshot, LogLevel, LogLine } from '../../shared/jobs'
import type { EventBus } from '../event-bus'
import { ProgressMeter } from './progress-meter'

/** What a job's body sees: cancel signal, phases, byte progress and its log. */
export interface JobContext {
  readonly id: string
  readonly signal: AbortSignal
  /** Enter a phase: the running one is marked done. */
  phase(id: string): void
  skipPhase(id: string): void
  /** Starts counting a new stretch of work of this many bytes (null: unknown); bytes done start again at 0. */
  setTotal(bytes: number | null): void
  /** Absolute bytes done in the current job. */
  progress(bytesDone: number): void
  advance(bytes: number): void
  setEngine(engine: string): void
  log(level: LogLevel, message: string): void
  throwIfCancelled(): void
}

export interface JobSpec<R> {
  kind: string
  title: string
  phases: Array<{ id: string; label: string }>
  engine?: string
  run(ctx: JobContext): Promise<R>
}

const MAX_LOG_LINES_IN_MEMORY = 2000
const PROGRESS_EVENT_INTERVAL_MS = 150

interface JobRecord {
  snapshot: JobSnapshot
  log: LogLine[]
  controller: AbortController
  meter: ProgressMeter
  file: WriteStream | null
  lastEmit: number
  done: Promise<JobSnapshot>
}

/** Marks the running phase of `s` ended, keeping what it counted. */
function endRunningPhase(s: JobSnapshot, state: JobPhase['state']): void {
  for (const phase of s.phases) {
    if (phase.state !== 'running') continue
    phase.state = state
    if (s.bytesDone > 0) phase.bytes = s.bytesDone
  }
}

export class JobManager {
  private readonly jobs = new Map<string, JobRecord>()

  constructor(
    private readonly bus: EventBus,
    private readonly logDir: string | null,
    private readonly now: () => number = Date.now,
  ) {}

  start<R>(spec: JobSpec<R>): JobSnapshot {
    const id = randomUUID()
    const startedAt = this.now()
    const snapshot: JobSnapshot = {
      id,
      kind: spec.kind,
      title: spec.title,
      state: 'running',
      phases: spec.phases.map((p): JobPhase => ({ ...p, state: 'pending' })),
      phase: null,
      bytesDone: 0,
      bytesTotal: null,
      rate: null,
      etaSeconds: null,
      startedAt,
      endedAt: null,
      engine: spec.engine ?? null,
      result: null,
      error: null,
      logFile: null,
      logCount: 0,
    }
    const record: JobRecord = {
      snapshot,
      log: [],
      controller: new AbortController(),
      meter: new ProgressMeter(),
      file: this.openLogFile(snapshot),
      lastEmit: 0,
      done: Promise.resolve(snapshot),
    }
    this.jobs.set(id, record)
    const ctx = this.context(record)
    ctx.log('info', `Started ${spec.kind}: ${spec.title}${spec.engine ? ` (engine: ${spec.engine})` : ''}`)
    this.emit(record, true)
    record.done = this.execute(record, spec, ctx)
    return { ...snapshot }
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((r) => ({ ...r.snapshot })).sort((a, b) => b.startedAt - a.startedAt)
  }

  get(id: string): JobDetail {
    const record = this.require(id)
    return { ...record.snapshot, log: [...record.log] }
  }

  cancel(id: string): JobSnapshot {
    const record = this.require(id)
    if (record.snapshot.state === 'running' && !record.controller.signal.aborted) {
      this.context(record).log('warn', 'Cancel requested')
      record.controller.abort(new AppError('CANCELLED', 'Cancelled by the user'))
    }
    return { ...record.snapshot }
  }

  /**
   * Cancels every running job and waits until each has ended, so that its own clean-up (an
   * unfinished image file removed, a drive's state logged) happens before the app exits.
   */
  async cancelAll(reason: string): Promise<void> {
    const running = [...this.jobs.values()].filter((r) => r.snapshot.state === 'running')
    for (const record of running) {
      this.context(record).log('warn', reason)
      record.controller.abort(new AppError('CANCELLED', reason))
    }
    await Promise.all(running.map((r) => r.done))
  }

  /** Resolves when the job has ended, whatever the outcome. */
  wait(id: string): Promise<JobSnapshot> {
    return this.require(id).done
  }

  private require(id: string): JobRecord {
    const record = this.jobs.get(id)
    if (!record) throw new AppError('NOT_FOUND', `No job with id ${id}`, { jobId: id })
    return record
  }

  private async execute<R>(record: JobRecord, spec: JobSpec<R>, ctx: JobContext): Promise<JobSnapshot> {
    const s = record.snapshot
    try {
      const result = await spec.run(ctx)
      if (s.bytesTotal !== null) s.bytesDone = s.bytesTotal
      endRunningPhase(s, 'done')
      s.state = 'succeeded'
      s.result = result ?? null
      ctx.log('info', 'Finished successfully')
    } catch (error) {
      const info = toErrorInfo(error)
      const cancelled = record.controller.signal.aborted || info.code === 'CANCELLED'
      endRunningPhase(s, cancelled ? 'skipped' : 'failed')
      s.state = cancelled ? 'cancelled' : 'failed'
      // A job that says what its cancel left behind (a drive's state) keeps that message.
      s.error = cancelled ? (info.code === 'CANCELLED' ? info : { code: 'CANCELLED', message: 'Cancelled by the user' }) : info
      ctx.log(cancelled ? 'warn' : 'error', cancelled ? cancelledLine(s.error.message) : `Failed: ${formatErrorInfo(info)}`)
    }
    s.endedAt = this.now()
    s.phase = null
    s.rate = null
    s.etaSeconds = null
    this.emit(record, true)
    await new Promise<void>((resolve) => (record.file ? record.file.end(resolve) : resolve()))
    return { ...s }
  }

  private context(record: JobRecord): JobContext {
    const s = record.snapshot
    const setBytes = (bytes: number): void => {
      s.bytesDone = bytes
      const t = this.now()
      record.meter.record(t, bytes)
      s.rate = record.meter.rate()
      s.etaSeconds = record.meter.etaSeconds(bytes, s.bytesTotal)
      this.emit(record, false)
    }
    const findPhase = (id: string): JobPhase => {
      const phase = s.phases.find((p) => p.id === id)
      if (!phase) throw new AppError('INTERNAL', `Job ${s.kind} has no phase ${id}`)
      return phase
    }
    const ctx: JobContext = {
      id: s.id,
      signal: record.controller.signal,
      phase: (id) => {
        endRunningPhase(s, 'done')
        findPhase(id).state = 'running'
        s.phase = id
        // Bytes belong to the phase they are shown with: the last phase's count, beside this
        // one's name, would read as this phase done before it began.
        s.bytesDone = 0
        s.bytesTotal = null
        s.rate = null
        s.etaSeconds = null
        record.meter.reset()
        ctx.log('info', `Phase: ${findPhase(id).label}`)
        this.emit(record, true)
      },
      skipPhase: (id) => {
        findPhase(id).state = 'skipped'
        this.emit(record, true)
      },
      setTotal: (bytes) => {
        s.bytesTotal = bytes
        s.bytesDone = 0
        record.meter.reset()
        this.emit(record, true)
      },
      progress: setBytes,
      advance: (bytes) => setBytes(s.bytesDone + bytes),
      setEngine: (engine) => {
        s.engine = engine
        ctx.log('info', `Engine: ${engine}`)
      },
      log: (level, message) => {
        const line: LogLine = { time: this.now(), level, message }
        record.log.push(line)
        if (record.log.length > MAX_LOG_LINES_IN_MEMORY) record.log.shift()
        s.logCount++
        record.file?.write(`${new Date(line.time).toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`)
        this.bus.emit({ type: 'job.log', jobId: s.id, line })
      },
      throwIfCancelled: () => {
        if (record.controller.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user')
      },
    }
    return ctx
  }

  private openLogFile(snapshot: JobSnapshot): WriteStream | null {
    if (!this.logDir) return null
    try {
      mkdirSync(this.logDir, { recursive: true })
      const stamp = new Date(snapshot.startedAt).toISOString().replace(/[:.]/g, '-')
      const path = join(this.logDir, `${stamp}-${snapshot.kind}-${snapshot.id.slice(0, 8)}.log`)
      const stream = createWriteStream(path, { flags: 'a' })
      // A log that cannot be written must not fail the job itself.
      stream.on('error', () => undefined)
      snapshot.logFile = path
      return stream
    } catch {
      return null
    }
  }

  private emit(record: JobRecord, force: boolean): void {
    const t = this.now()
    if (!force && t - record.lastEmit < PROGRESS_EVENT_INTERVAL_MS) return
    record.lastEmit = t
    this.bus.emit({ type: 'job', job: { ...record.snapshot, phases: record.snapshot.phases.map((p) => ({ ...p })) } })
  }
}

/** The log line of a cancelled job: its reason, said once ("Cancelled by the user", not "Cancelled: Cancelled by the user"). */
function cancelledLine(reason: string): string {
  return /^cancel/i.test(reason) ? reason : `Cancelled: ${reason}`
}
