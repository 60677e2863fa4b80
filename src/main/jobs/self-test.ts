import { createHash } from 'node:crypto'
import { formatBytes } from '../../shared/format'
import type { JobSpec } from './job-manager'
import type { WorkerPool } from './worker-pool'

export interface SelfTestResult {
  bytes: number
  seconds: number
  mibPerSecond: number
  workers: number
  /** SHA-1 over the per-unit digests: the same size always gives the same value. */
  digest: string
}

const UNIT = 16 * 1024 * 1024

/**
 * A real measurement of this host: every worker generates and hashes data in parallel. It
 * shows what the pool delivers before a long capture, and exercises progress and cancel.
 */
export function selfTestJob(pool: WorkerPool, sizeMiB: number): JobSpec<SelfTestResult> {
  const total = sizeMiB * 1024 * 1024
  return {
    kind: 'self-test',
    title: `Worker pool self-test, ${formatBytes(total)}`,
    phases: [{ id: 'hash', label: 'Generate and hash data' }],
    engine: `built-in, ${pool.size} worker thread${pool.size === 1 ? '' : 's'}`,
    run: async (ctx) => {
      ctx.phase('hash')
      ctx.setTotal(total)
      const units = Math.ceil(total / UNIT)
      const digests: string[] = new Array<string>(units)
      let next = 0
      const started = performance.now()
      const lane = async (): Promise<void> => {
        while (next < units) {
          const index = next++
          const bytes = Math.min(UNIT, total - index * UNIT)
          const { sha1 } = await pool.run('selftest.hash', { seed: index + 1, bytes }, { signal: ctx.signal })
          digests[index] = sha1
          ctx.advance(bytes)
        }
      }
      await Promise.all(Array.from({ length: pool.size }, lane))
      const seconds = (performance.now() - started) / 1000
      const mibPerSecond = sizeMiB / Math.max(seconds, 1e-6)
      ctx.log('info', `${sizeMiB} MiB in ${seconds.toFixed(2)} s: ${mibPerSecond.toFixed(0)} MiB/s on ${pool.size} workers`)
      const digest = createHash('sha1').update(digests.join('')).digest('hex')
      return { bytes: total, seconds, mibPerSecond, workers: pool.size, digest }
    },
  }
}
