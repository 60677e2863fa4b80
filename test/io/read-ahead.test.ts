import { describe, expect, it } from 'vitest'
import { readAhead, type AheadStream } from '../../src/main/io/read-ahead'

/** A stream of the given pieces that logs when it is opened and when it is closed. */
function stream(name: string, pieces: number[][], log: string[], independent = true): AheadStream {
  return {
    independent,
    open: async function* () {
      log.push(`open ${name}`)
      try {
        for (const piece of pieces) yield new Uint8Array(piece)
      } finally {
        log.push(`close ${name}`)
      }
    },
  }
}

async function drain(streams: AheadStream[], ahead: number, log: string[]): Promise<number[][]> {
  const seen: number[][] = []
  for await (const pieces of readAhead(streams, ahead)) {
    log.push('next')
    const bytes: number[] = []
    for await (const piece of pieces) bytes.push(...piece)
    seen.push(bytes)
  }
  return seen
}

describe('readAhead', () => {
  it('hands the streams on in order, whole, opening at most `ahead` beyond the current one', async () => {
    const log: string[] = []
    const streams = [stream('a', [[1], [2]], log), stream('b', [], log), stream('c', [[3]], log), stream('d', [[4, 5]], log)]
    expect(await drain(streams, 1, log)).toEqual([[1, 2], [], [3], [4, 5]])
    expect(log.slice(0, 2)).toEqual(['open a', 'open b'])
    expect(log.indexOf('open c')).toBeGreaterThan(log.indexOf('next'))
    expect(log.filter((l) => l.startsWith('open'))).toEqual(['open a', 'open b', 'open c', 'open d'])
  })

  it('opens a stream that shares buffers only once it is the current one', async () => {
    const log: string[] = []
    const streams = [stream('a', [[1]], log), stream('b', [[2]], log, false), stream('c', [[3]], log)]
    await drain(streams, 4, log)
    expect(log.indexOf('open b')).toBeGreaterThan(log.indexOf('close a'))
  })

  it('closes the current stream and those opened ahead when the reader stops early', async () => {
    const log: string[] = []
    const streams = [stream('a', [[1], [2]], log), stream('b', [[3]], log), stream('c', [[4]], log)]
    await expect(
      (async () => {
        for await (const pieces of readAhead(streams, 2)) {
          for await (const piece of pieces) if (piece[0] === 1) throw new Error('stop')
        }
      })(),
    ).rejects.toThrow('stop')
    expect(log.filter((l) => l.startsWith('close')).sort()).toEqual(['close a', 'close b', 'close c'])
  })

  it('reports a failure to open where that stream is read, not before', async () => {
    const failing: AheadStream = {
      independent: true,
      // eslint-disable-next-line require-yield
      open: async function* () {
        throw new Error('cannot open b')
      },
    }
    const log: string[] = []
    const seen: number[] = []
    await expect(
      (async () => {
        for await (const pieces of readAhead([stream('a', [[1]], log), failing], 2)) for await (const piece of pieces) seen.push(...piece)
      })(),
    ).rejects.toThrow('cannot open b')
    expect(seen).toEqual([1])
  })
})
