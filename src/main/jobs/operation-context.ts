import type { JobContext } from './job-manager'

/**
 * What a long operation needs from whoever runs it: cancel, phases, byte progress and a log.
 * A job's context is one; tests and the CLI can pass a plain object.
 */
export type OperationContext = Pick<JobContext, 'signal' | 'phase' | 'setTotal' | 'advance' | 'log'>
