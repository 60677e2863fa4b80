import { setMaxListeners } from 'node:events'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { AppError, type ErrorInfo } from '../../shared/errors'
import type { TaskInput, TaskName, TaskOutput } from './tasks'
import type { WorkerRequest, WorkerResponse } from './worker-protocol'

/** What a pool thread runs: a file, or (from source) a bootstrap script evaluated in place. */
export interface WorkerEntry {
  script: string
  eval: boolean
}

/**
 * The built bundle has worker.js beside this module (all main-process chunks share one
 * folder). From source (tests, benchmarks) the TypeScript entry is loaded through tsx's
 * require hook; a worker ignores `--import` in execArgv, so a bootstrap registers it.
 */
export function defaultWorkerEntry(): WorkerEntry {
  const built = join(__dirname, 'worker.js')
  if (existsSync(built)) return { script: built, eval: false }
  const source = join(__dirname, 'worker.ts')
  return { script: `require('tsx/cjs'); require(${JSON.stringify(source)})`, eval: true }
}

interface Pending {
  request: WorkerRequest
  transfer: ArrayBuffer[]
  resolve(value: unknown): void
  reject(error: unknown): void
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

interface Slot {
  worker: Worker
  current: Pending | null
}

export interface RunOptions {
  transfer?: ArrayBuffer[]
  signal?: AbortSignal
}

/** A fixed set of worker threads, one per core, that run CPU-heavy tasks in parallel. */
export class WorkerPool {
  readonly size: number
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private nextId = 1
  private closed = false

  constructor(options: { size?: number; entry?: WorkerEntry } = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism())
    this.entry = options.entry ?? defaultWorkerEntry()
  }

  private readonly entry: WorkerEntry

  run<T extends TaskName>(task: T, input: TaskInput<T>, options: RunOptions = {}): Promise<TaskOutput<T>> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'Worker pool is closed'))
    const signal = options.signal
    if (signal?.aborted) return Promise.reject(cancelled(signal))
    return new Promise<TaskOutput<T>>((resolve, reject) => {
      const pending: Pending = {
        request: { id: this.nextId++, task, input },
        transfer: options.transfer ?? [],
        resolve: resolve as (value: unknown) => void,
        reject,
        signal,
        onAbort: undefined,
      }
      if (signal) {
        // A queued task is dropped at once; a running one cannot be interrupted (it is a tight
        // synchronous loop), so its result is discarded when it arrives.
        pending.onAbort = () => {
          const index = this.queue.indexOf(pending)
          if (index >= 0) this.queue.splice(index, 1)
          reject(cancelled(signal))
        }
        // One listener per queued task: a pipeline keeps several in flight on one job's signal.
        setMaxListeners(0, signal)
        signal.addEventListener('abort', pending.onAbort, { once: true })
      }
      this.queue.push(pending)
      this.dispatch()
    })
  }

  async close(): Promise<void> {
    this.closed = true
    for (const pending of this.queue.splice(0)) pending.reject(new AppError('CANCELLED', 'Worker pool closed'))
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()))
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.current === null) ?? this.spawn()
      if (!slot) return
      const pending = this.queue.shift()!
      slot.current = pending
      slot.worker.ref()
      slot.worker.postMessage(pending.request, pending.transfer)
    }
  }

  private spawn(): Slot | null {
    if (this.slots.length >= this.size) return null
    const worker = new Worker(this.entry.script, { eval: this.entry.eval })
    const slot: Slot = { worker, current: null }
    worker.on('message', (response: WorkerResponse) => this.settle(slot, response))
    worker.on('error', (error) => this.fail(slot, { code: 'INTERNAL', message: `Worker crashed: ${error.message}` }))
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(slot, { code: 'INTERNAL', message: `Worker exited with code ${code}` })
    })
    this.slots.push(slot)
    return slot
  }

  private settle(slot: Slot, response: WorkerResponse): void {
    const pending = slot.current
    slot.current = null
    slot.worker.unref()
    if (pending && pending.request.id === response.id) {
      if (pending.signal && pending.onAbort) pending.signal.removeEventListener('abort', pending.onAbort)
      if (!pending.signal?.aborted) {
        if (response.ok) pending.resolve(response.value)
        else pending.reject(AppError.fromInfo(response.error))
      }
    }
    this.dispatch()
  }

  private fail(slot: Slot, error: ErrorInfo): void {
    const index = this.slots.indexOf(slot)
    if (index < 0) return
    this.slots.splice(index, 1)
    slot.current?.reject(AppError.fromInfo(error))
    void slot.worker.terminate()
    this.dispatch()
  }
}

function cancelled(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new AppError('CANCELLED', 'Cancelled')
}
