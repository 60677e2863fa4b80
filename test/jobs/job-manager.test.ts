import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { AppEvent } from '../../src/shared/contract'
import { AppError } from '../../src/shared/errors'
import { EventBus } from '../../src/main/event-bus'
import { JobManager } from '../../src/main/jobs/job-manager'
import { tempDir } from '../support/temp'

const logDir = tempDir()

function manager(): { jobs: JobManager; events: AppEvent[] } {
  const bus = new EventBus()
  const events: AppEvent[] = []
  bus.subscribe((e) => events.push(e))
  return { jobs: new JobManager(bus, logDir), events }
}

describe('JobManager', () => {
  it('runs phases, reports progress and keeps the result and a log file', async () => {
    const { jobs, events } = manager()
    const started = jobs.start({
      kind: 'test',
      title: 'two phases',
      phases: [
        { id: 'a', label: 'First' },
        { id: 'b', label: 'Second' },
      ],
      run: async (ctx) => {
        ctx.phase('a')
        ctx.setTotal(100)
        ctx.progress(40)
        ctx.phase('b')
        ctx.setTotal(60)
        ctx.advance(60)
        ctx.log('warn', 'something to note')
        return { answer: 42 }
      },
    })
    expect(started.state).toBe('running')
    const done = await jobs.wait(started.id)
    expect(done.state).toBe('succeeded')
    expect(done.result).toEqual({ answer: 42 })
    expect(done.bytesDone).toBe(60)
    expect(done.phases.map((p) => p.state)).toEqual(['done', 'done'])
    const snapshots = events.filter((e): e is Extract<AppEvent, { type: 'job' }> => e.type === 'job')
    expect(snapshots.some((e) => e.job.phase === 'a')).toBe(true)
    expect(snapshots.at(-1)?.job.state).toBe('succeeded')
    const log = readFileSync(done.logFile!, 'utf8')
    expect(log).toMatch(/WARN {2}something to note/)
    expect(log).toMatch(/Phase: Second/)
    expect(jobs.get(started.id).log.map((l) => l.message)).toContain('something to note')
  })

  it('counts each stretch of work on its own: a new total starts from zero', async () => {
    const { jobs } = manager()
    let during: [number, number | null] | null = null
    const { id } = jobs.start({
      kind: 'test',
      title: 'two totals',
      phases: [
        { id: 'hash', label: 'Hash' },
        { id: 'write', label: 'Write' },
      ],
      run: async (ctx) => {
        ctx.phase('hash')
        ctx.setTotal(300)
        ctx.advance(300)
        ctx.phase('write')
        ctx.setTotal(500)
        ctx.advance(200)
        const now = jobs.get(ctx.id)
        during = [now.bytesDone, now.bytesTotal]
        return null
      },
    })
    await jobs.wait(id)
    expect(during).toEqual([200, 500])
  })

  it('starts each phase with no bytes counted, so no phase shows the last one\'s count as its own', async () => {
    const { jobs, events } = manager()
    const { id } = jobs.start({
      kind: 'test',
      title: 'a counted phase, then one that is not',
      phases: [
        { id: 'write', label: 'Write' },
        { id: 'finish', label: 'Finish' },
      ],
      run: async (ctx) => {
        ctx.phase('write')
        ctx.setTotal(500)
        ctx.advance(500)
        ctx.phase('finish')
        return null
      },
    })
    const done = await jobs.wait(id)
    const finishing = events.filter((e): e is Extract<AppEvent, { type: 'job' }> => e.type === 'job' && e.job.id === id && e.job.phase === 'finish')
    expect(finishing.length).toBeGreaterThan(0)
    for (const e of finishing) expect([e.job.bytesDone, e.job.bytesTotal, e.job.rate, e.job.etaSeconds]).toEqual([0, null, null, null])
    expect(done.bytesTotal).toBeNull()
    // What the write phase counted stays with it.
    expect(done.phases.map((p) => [p.state, p.bytes])).toEqual([
      ['done', 500],
      ['done', undefined],
    ])
  })

  it('reports a typed error with its details when the job fails', async () => {
    const { jobs } = manager()
    const { id } = jobs.start({
      kind: 'test',
      title: 'fails',
      phases: [{ id: 'x', label: 'Only' }],
      run: async (ctx) => {
        ctx.phase('x')
        throw new AppError('CORRUPT', 'bad header', { file: 'a.wim', offset: 12 })
      },
    })
    const done = await jobs.wait(id)
    expect(done.state).toBe('failed')
    expect(done.error).toEqual({ code: 'CORRUPT', message: 'bad header', details: { file: 'a.wim', offset: 12 } })
    expect(done.phases[0]!.state).toBe('failed')
    expect(readFileSync(done.logFile!, 'utf8')).toMatch(/ERROR Failed: bad header \(file=a.wim offset=12\)/)
  })

  it('cancels through the abort signal', async () => {
    const { jobs } = manager()
    const { id } = jobs.start({
      kind: 'test',
      title: 'waits',
      phases: [{ id: 'x', label: 'Wait' }],
      run: (ctx) =>
        new Promise((_, reject) => {
          ctx.phase('x')
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))
        }),
    })
    jobs.cancel(id)
    const done = await jobs.wait(id)
    expect(done.state).toBe('cancelled')
    expect(done.error?.code).toBe('CANCELLED')
    expect(done.phases[0]!.state).toBe('skipped')
    // The reason is said once, as the last line of the log a technician hands on.
    expect(jobs.get(id).log.map((l) => l.message).slice(-2)).toEqual(['Cancel requested', 'Cancelled by the user'])
    expect(readFileSync(done.logFile!, 'utf8')).toMatch(/WARN {2}Cancelled by the user\n$/)
  })

  it('cancels every running job on closing and waits for their clean-up to finish', async () => {
    const { jobs } = manager()
    let cleanedUp = 0
    const waiter = () =>
      jobs.start({
        kind: 'test',
        title: 'cleans up',
        phases: [{ id: 'x', label: 'Wait' }],
        run: (ctx) =>
          new Promise((_, reject) => {
            ctx.signal.addEventListener('abort', () => setTimeout(() => (cleanedUp++, reject(ctx.signal.reason)), 20))
          }),
      })
    const ids = [waiter().id, waiter().id]
    const finished = jobs.start({ kind: 'test', title: 'done already', phases: [], run: async () => 1 })
    await jobs.wait(finished.id)
    await jobs.cancelAll('Cancelled: the app is closing')
    expect(cleanedUp).toBe(2)
    for (const id of ids) {
      expect(jobs.get(id)).toMatchObject({ state: 'cancelled', error: { message: 'Cancelled: the app is closing' } })
      expect(jobs.get(id).log.at(-1)?.message).toBe('Cancelled: the app is closing')
    }
    expect(jobs.get(finished.id).state).toBe('succeeded')
  })

  it('refuses unknown job ids with NOT_FOUND', () => {
    const { jobs } = manager()
    expect(() => jobs.get('no-such-job')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })
})
