import { createHash } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { generateBytes } from '../../src/main/jobs/tasks'
import { WorkerPool } from '../../src/main/jobs/worker-pool'
import { transferablesOf } from '../../src/main/jobs/worker-protocol'

const pool = new WorkerPool({ size: 2 })
afterAll(() => pool.close())

describe('WorkerPool', () => {
  it('runs tasks in worker threads and returns their results', async () => {
    const result = await pool.run('selftest.hash', { seed: 7, bytes: 1_000_003 })
    expect(result.sha1).toBe(createHash('sha1').update(generateBytes(7, 1_000_003)).digest('hex'))
  })

  it('spreads many tasks over all workers and keeps them in order', async () => {
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1)
    const results = await Promise.all(seeds.map((seed) => pool.run('selftest.hash', { seed, bytes: 65536 })))
    expect(results.map((r) => r.sha1)).toEqual(seeds.map((s) => createHash('sha1').update(generateBytes(s, 65536)).digest('hex')))
  })

  it('drops queued tasks when their signal aborts', async () => {
    const controller = new AbortController()
    const runs = Array.from({ length: 8 }, (_, i) => pool.run('selftest.hash', { seed: i, bytes: 8 << 20 }, { signal: controller.signal }))
    controller.abort()
    const settled = await Promise.allSettled(runs)
    expect(settled.every((s) => s.status === 'rejected')).toBe(true)
    // The pool is still usable afterwards.
    await expect(pool.run('selftest.hash', { seed: 1, bytes: 10 })).resolves.toHaveProperty('sha1')
  })

  it('reports an unknown task as an error, not a hang', async () => {
    await expect(pool.run('no.such.task' as 'selftest.hash', { seed: 1, bytes: 1 })).rejects.toThrow(/Unknown worker task/)
  })
})

describe('transferablesOf', () => {
  it('transfers whole-buffer arrays only', () => {
    const whole = new Uint8Array(16)
    const view = new Uint8Array(new ArrayBuffer(32), 8, 8)
    expect(transferablesOf({ a: whole, b: view, c: [whole] })).toEqual([whole.buffer])
  })
})
