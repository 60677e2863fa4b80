import { describe, expect, it } from 'vitest'
import { SequentialWriter, type BlockSink } from '../../src/main/io/sequential-writer'
import { AppError } from '../../src/shared/errors'

const BLOCK = 16

/** A sink whose writes finish when the test says so, recording what was written where. */
class SlowSink implements BlockSink {
  readonly writes: Array<{ position: number; bytes: number[] }> = []
  started = 0
  private releases: Array<() => void> = []

  async flush(): Promise<void> {}

  write(data: Uint8Array, position: number): Promise<void> {
    this.started++
    return new Promise((resolve) => {
      this.releases.push(() => {
        this.writes.push({ position, bytes: [...data] })
        resolve()
      })
    })
  }

  /** Lets the oldest write started finish. */
  async release(): Promise<void> {
    this.releases.shift()?.()
    await settle()
  }
}

/** Lets every promise callback that is ready run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

const bytes = (from: number, count: number) => Uint8Array.from({ length: count }, (_, i) => (from + i) & 0xff)

describe('SequentialWriter', () => {
  it('writes front to back in blocks ending on block boundaries of the target, the first one shorter', async () => {
    const writes: Array<[number, number]> = []
    const progress: number[] = []
    const out = new SequentialWriter({ write: async (data, position) => void writes.push([position, data.length]), flush: async () => {} }, 100, { blockSize: BLOCK, onProgress: (done) => progress.push(done) })
    await out.bytes(bytes(0, 20))
    await out.zeros(30)
    await out.close()
    expect(writes).toEqual([
      [100, 12],
      [112, 16],
      [128, 16],
      [144, 6],
    ])
    expect(progress).toEqual([12, 28, 44, 50])
  })

  it('reads into its blocks: chunks as large as the room left in the block', async () => {
    const chunks: Array<[number, number]> = []
    const target = new Uint8Array(64)
    const out = new SequentialWriter({ write: async (data, position) => target.set(data, position), flush: async () => {} }, 4, { blockSize: BLOCK })
    await out.fillFrom(40, async (chunk, at) => {
      chunks.push([at, chunk.length])
      chunk.set(bytes(at, chunk.length))
    })
    await out.close()
    expect(chunks).toEqual([
      [0, 12],
      [12, 16],
      [28, 12],
    ])
    expect([...target.subarray(4, 44)]).toEqual([...bytes(0, 40)])
  })

  it('fills ahead while earlier blocks are written, each write started as soon as its block is full, up to its depth', async () => {
    const sink = new SlowSink()
    const out = new SequentialWriter(sink, 0, { blockSize: BLOCK, depth: 3 })
    let filled = 0
    const filling = (async () => {
      for (let i = 0; i < 6; i++) {
        await out.bytes(bytes(i * BLOCK, BLOCK))
        filled++
      }
      await out.close()
    })()
    await settle()
    // Three blocks exist: all filled and being written, the fourth waits for the first to be written.
    expect(filled).toBe(3)
    expect(sink.started).toBe(3)
    await sink.release()
    expect(filled).toBe(4)
    expect(sink.started).toBe(4)
    for (let i = 0; i < 5; i++) await sink.release()
    await filling
    // No block was refilled before its write ended: every write holds its own bytes.
    expect(sink.writes.map((w) => w.position)).toEqual([0, 16, 32, 48, 64, 80])
    expect(sink.writes.flatMap((w) => w.bytes)).toEqual([...bytes(0, 6 * BLOCK)])
  })

  it('writes nothing more once cancelled: the writes under way end, no other begins', async () => {
    const sink = new SlowSink()
    const controller = new AbortController()
    const out = new SequentialWriter(sink, 0, { blockSize: BLOCK, depth: 2, signal: controller.signal })
    await out.bytes(bytes(0, 2 * BLOCK))
    expect(sink.started).toBe(2)
    controller.abort(new AppError('CANCELLED', 'Cancelled by the user'))
    await sink.release()
    await sink.release()
    await expect(out.bytes(bytes(2 * BLOCK, BLOCK))).rejects.toMatchObject({ code: 'CANCELLED', message: 'Cancelled by the user' })
    await expect(out.close()).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(sink.writes.map((w) => w.position)).toEqual([0, 16])
    expect(sink.started).toBe(2)
  })

  it('stops at the first failed write: later blocks are not written and filling fails with its error', async () => {
    const written: number[] = []
    const out = new SequentialWriter(
      {
        write: async (_, position) => {
          if (position === BLOCK) throw new AppError('IO', 'the drive went away')
          written.push(position)
        },
        flush: async () => {},
      },
      0,
      { blockSize: BLOCK, depth: 2 },
    )
    const error = await (async () => {
      for (let i = 0; i < 10; i++) await out.bytes(bytes(0, BLOCK))
      await out.close()
    })().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'IO', message: 'the drive went away' })
    await out.settle()
    expect(written).toEqual([0])
  })

  it('flushes behind the writes without stopping them, until the data not yet flushed reaches four flushes', async () => {
    const events: string[] = []
    const flushes: Array<() => void> = []
    const sink: BlockSink = {
      write: async (_, position) => void events.push(`write ${position}`),
      flush: () => {
        events.push('flush')
        return new Promise((resolve) => flushes.push(resolve))
      },
    }
    const out = new SequentialWriter(sink, 0, { blockSize: BLOCK, depth: 2, flushEvery: 2 * BLOCK })
    const writing = (async () => {
      await out.zeros(12 * BLOCK)
      await out.close()
    })()
    await settle()
    // The first flush begins after two blocks; six more are written while it runs, then writing waits.
    expect(events).toEqual(['write 0', 'write 16', 'flush', ...[32, 48, 64, 80, 96, 112].map((p) => `write ${p}`)])
    events.length = 0
    flushes.shift()!()
    await settle()
    expect(events).toEqual(['write 128', 'write 144', 'flush'])
    events.length = 0
    while (flushes.length > 0) {
      flushes.shift()!()
      await settle()
    }
    await writing
    expect(events.filter((e) => e.startsWith('write'))).toEqual([160, 176].map((p) => `write ${p}`))
  })

  it('fails with the error of a flush behind, and writes nothing after it', async () => {
    const written: number[] = []
    const out = new SequentialWriter(
      {
        write: async (_, position) => void written.push(position),
        flush: async () => {
          throw new AppError('IO', 'the drive could not store what it took')
        },
      },
      0,
      { blockSize: BLOCK, depth: 2, flushEvery: BLOCK },
    )
    const error = await (async () => {
      for (let i = 0; i < 10; i++) await out.bytes(bytes(0, BLOCK))
      await out.close()
    })().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'IO', message: 'the drive could not store what it took' })
    await out.settle()
    expect(written).toEqual([0])
  })
})
