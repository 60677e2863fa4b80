/**
 * CPU-heavy pure functions that run inside pool workers. A task takes plain data and
 * returns plain data; Uint8Arrays in the result are transferred, not copied.
 */
import { createHash } from 'node:crypto'
import { runExtractTask } from '../wim/apply/extract-task'
import { runCompressTask } from '../wim/write/compress-task'
import { runHashFileTask } from '../wim/capture/hash-task'

/** Deterministic bytes (xorshift32) so a self-test run can be checked and repeated. */
export function generateBytes(seed: number, length: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(length / 4))
  let x = seed >>> 0 || 0x9e3779b9
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    words[i] = x
  }
  return new Uint8Array(words.buffer, 0, length)
}

export const tasks = {
  'wim.extract': runExtractTask,
  'wim.compress': runCompressTask,
  'wim.hashFile': runHashFileTask,
  'selftest.hash': (input: { seed: number; bytes: number }): { sha1: string } => ({
    sha1: createHash('sha1').update(generateBytes(input.seed, input.bytes)).digest('hex'),
  }),
}

export type Tasks = typeof tasks
export type TaskName = keyof Tasks
export type TaskInput<T extends TaskName> = Parameters<Tasks[T]>[0]
export type TaskOutput<T extends TaskName> = Awaited<ReturnType<Tasks[T]>>
