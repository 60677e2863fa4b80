/** Runs in pool workers: the SHA-1 of a file, read in large blocks. */
import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'
import { AppError } from '../../../shared/errors'

const BLOCK = 4 * 1024 * 1024
/**
 * One read buffer per worker, reused for every file: a fresh 4 MiB buffer for each of
 * thousands of small files costs more (zeroing, page faults, collection) than hashing them.
 */
let buffer: Uint8Array | undefined

export function runHashFileTask(task: { path: string }): { hash: string; size: number } {
  let fd: number
  try {
    fd = openSync(task.path, 'r')
  } catch (error) {
    throw new AppError('IO', `Cannot read ${task.path}: ${(error as Error).message}`, { path: task.path })
  }
  try {
    const hash = createHash('sha1')
    const block = (buffer ??= new Uint8Array(BLOCK))
    let size = 0
    for (;;) {
      const n = readSync(fd, block, 0, BLOCK, size)
      if (n === 0) break
      hash.update(block.subarray(0, n))
      size += n
    }
    return { hash: hash.digest('hex'), size }
  } finally {
    closeSync(fd)
  }
}
