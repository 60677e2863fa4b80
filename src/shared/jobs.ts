import type { ErrorInfo } from './errors'

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled'

export type PhaseState = 'pending' | 'running' | 'done' | 'skipped' | 'failed'

export interface JobPhase {
  id: string
  label: string
  state: PhaseState
  /** Bytes the phase counted, kept once it is over (the job's count starts again with each phase); absent where it counted none. */
  bytes?: number
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface LogLine {
  /** Milliseconds since the epoch. */
  time: number
  level: LogLevel
  message: string
}

export interface JobSnapshot {
  id: string
  kind: string
  title: string
  state: JobState
  phases: JobPhase[]
  /** Id of the running phase, if any. */
  phase: string | null
  bytesDone: number
  bytesTotal: number | null
  /** Bytes per second over the last few seconds. */
  rate: number | null
  etaSeconds: number | null
  startedAt: number
  endedAt: number | null
  /** Which engine does the work (ours, wimlib-imagex, DISM, ...), shown to the user. */
  engine: string | null
  result: unknown
  error: ErrorInfo | null
  /** Where the full log of this job is kept on disk. */
  logFile: string | null
  logCount: number
}

export interface JobDetail extends JobSnapshot {
  log: LogLine[]
}

export function isJobFinished(state: JobState): boolean {
  return state !== 'running'
}
