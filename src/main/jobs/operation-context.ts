import type { JobContext } from './job-manager'

/**
 * What a long operation needs from whoever runs it: cancel, phases, byte progress and a log.
 * A job's context is one; tests and the CLI can pass a plain object.
 */
export type OperationContext = Pick<JobContext, 'signal' | 'phase' | 'setTotal' | 'advance' | 'log'>

/**
 * An operation run as one step of a larger job, whose phases are the job's own: the step's
 * phases become log lines ("Install image: Copy data"), its progress stays the job's.
 */
export function stepContext(ctx: OperationContext, step: string, phaseLabels: ReadonlyArray<{ id: string; label: string }> = []): OperationContext {
  return {
    signal: ctx.signal,
    setTotal: (bytes) => ctx.setTotal(bytes),
    advance: (bytes) => ctx.advance(bytes),
    log: (level, message) => ctx.log(level, message),
    phase: (id) => ctx.log('info', `${step}: ${phaseLabels.find((p) => p.id === id)?.label ?? id}`),
  }
}
