import type { z } from 'zod'
import type { Envelope, Transport } from '../../shared/client'
import { contract, isMethodName, type AppEvent, type MethodName, type MethodResult, type ParsedArgs } from '../../shared/contract'
import { AppError, toErrorInfo } from '../../shared/errors'

export type Handlers = {
  [M in MethodName]: (args: ParsedArgs<M>) => Promise<MethodResult<M>> | MethodResult<M>
}

/**
 * The one service every front end talks to. `invoke` is the boundary: it takes a method name
 * and untrusted arguments, validates them against the contract, and never throws; failures
 * come back as an error envelope with a code a front end can act on.
 */
export class Service {
  constructor(
    private readonly handlers: Handlers,
    private readonly subscribeToEvents: (listener: (event: AppEvent) => void) => () => void,
  ) {}

  async invoke(method: string, args: unknown): Promise<Envelope> {
    try {
      if (typeof method !== 'string' || !isMethodName(method)) {
        throw new AppError('UNKNOWN_METHOD', `Unknown method ${JSON.stringify(method)}`, { method: String(method) })
      }
      const parsed = contract[method].args.safeParse(args ?? {})
      if (!parsed.success) {
        throw new AppError('VALIDATION', `Invalid arguments for ${method}: ${describeIssues(parsed.error)}`, {
          method,
          fields: parsed.error.issues.map((i) => i.path.join('.') || '(arguments)'),
        })
      }
      const handler = this.handlers[method] as (a: unknown) => unknown
      return { ok: true, value: await handler(parsed.data) }
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) }
    }
  }

  subscribe(listener: (event: AppEvent) => void): () => void {
    return this.subscribeToEvents(listener)
  }

  /** A transport for front ends running in this same process (the CLI, tests). */
  localTransport(): Transport {
    return { name: 'in-process', invoke: (m, a) => this.invoke(m, a), subscribe: (l) => this.subscribe(l) }
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ')
}
