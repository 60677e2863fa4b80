import type { OperationContext } from '../../src/main/jobs/operation-context'

/** An operation context for tests: records phases, progress and log lines. */
export function quietContext(signal = new AbortController().signal): OperationContext & { logs: string[]; phases: string[]; done: number; total: number | null } {
  const ctx = {
    signal,
    logs: [] as string[],
    phases: [] as string[],
    done: 0,
    total: null as number | null,
    phase: (id: string) => {
      ctx.phases.push(id)
    },
    setTotal: (bytes: number | null) => {
      ctx.total = bytes
      ctx.done = 0
    },
    advance: (n: number) => {
      ctx.done += n
    },
    log: (level: string, message: string) => {
      ctx.logs.push(`${level}: ${message}`)
    },
  }
  return ctx
}
