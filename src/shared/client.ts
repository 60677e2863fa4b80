import { AppError, isErrorInfo, type ErrorInfo } from './errors'
import { contract, type Api, type AppEvent, type MethodArgs, type MethodName, type MethodResult } from './contract'

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** How a front end reaches the service: Electron IPC, HTTP + WebSocket, or in-process. */
export interface Transport {
  readonly name: string
  invoke(method: string, args: unknown): Promise<Envelope>
  subscribe(listener: (event: AppEvent) => void): () => void
}

export interface Client {
  readonly transport: string
  readonly api: Api
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>
  subscribe(listener: (event: AppEvent) => void): () => void
}

export function createClient(transport: Transport): Client {
  async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    const envelope = await transport.invoke(method, args)
    if (envelope.ok) return envelope.value as MethodResult<M>
    throw isErrorInfo(envelope.error)
      ? AppError.fromInfo(envelope.error)
      : new AppError('INTERNAL', `Malformed error from ${transport.name} transport`)
  }
  const api = {} as Record<string, Record<string, (args: unknown) => Promise<unknown>>>
  for (const name of Object.keys(contract) as MethodName[]) {
    const [domain, member] = name.split('.') as [string, string]
    api[domain] ??= {}
    api[domain][member] = (args: unknown) => call(name, args as never)
  }
  return { transport: transport.name, api: api as unknown as Api, call, subscribe: (l) => transport.subscribe(l) }
}
