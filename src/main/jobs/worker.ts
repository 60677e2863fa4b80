/** Entry of a pool worker thread: runs named tasks from ./tasks on request. */
import { parentPort } from 'node:worker_threads'
import { toErrorInfo } from '../../shared/errors'
import { tasks, type TaskName } from './tasks'
import { transferablesOf, type WorkerRequest, type WorkerResponse } from './worker-protocol'

if (!parentPort) throw new Error('worker.ts must run as a worker thread')
const port = parentPort

async function handle(request: WorkerRequest): Promise<void> {
  let response: WorkerResponse
  try {
    const task = tasks[request.task as TaskName] as ((input: unknown) => unknown) | undefined
    if (!task) throw new Error(`Unknown worker task ${request.task}`)
    const value = await task(request.input)
    response = { id: request.id, ok: true, value }
    port.postMessage(response, transferablesOf(value))
  } catch (error) {
    response = { id: request.id, ok: false, error: toErrorInfo(error) }
    port.postMessage(response)
  }
}

port.on('message', (request: WorkerRequest) => void handle(request))
