/**
 * Opens the files after the one being copied early (and asks a stream for its first chunk),
 * so the latency of opening and reading thousands of small files overlaps the copying instead
 * of adding up. Bounded: at most READ_AHEAD_FILES files, of READ_AHEAD_BYTES declared bytes
 * in all, are started ahead; a larger file starts when it is reached.
 */
import type { FileContents, PlannedFile, PositionalContents } from './tree'

const READ_AHEAD_FILES = 64
const READ_AHEAD_BYTES = 4 * 1024 * 1024

/** A file's contents once started: chunks, or a positional file being opened. */
export type StartedContents = { kind: 'chunks'; chunks: AsyncIterable<Uint8Array> } | { kind: 'positional'; file: Promise<PositionalContents> }

interface Started {
  contents: StartedContents
  /** Lets go of what the source holds (a file handle) when the file is never reached. */
  release(): Promise<void>
}

export class ReadAhead {
  private readonly started = new Map<number, Started>()

  constructor(private readonly files: readonly PlannedFile[]) {}

  /** The contents of file `index`, perhaps already being read; starts the files after it. */
  take(index: number): StartedContents {
    const started = this.started.get(index) ?? start(this.files[index]!)
    this.started.delete(index)
    let bytes = 0
    for (let i = index + 1; i < this.files.length && i <= index + READ_AHEAD_FILES; i++) {
      bytes += this.files[i]!.size
      if (bytes > READ_AHEAD_BYTES) break
      if (!this.started.has(i)) this.started.set(i, start(this.files[i]!))
    }
    return started.contents
  }

  /** Let the sources started ahead release what they hold (file handles). */
  async close(): Promise<void> {
    const pending = [...this.started.values()]
    this.started.clear()
    await Promise.allSettled(pending.map((started) => started.release()))
  }
}

/** A source that fails to open fails when its file is reached, like one that fails to read. */
function start(file: PlannedFile): Started {
  let contents: FileContents
  try {
    contents = file.open()
  } catch (error) {
    return chunks({ next: () => Promise.reject(error) })
  }
  if (contents instanceof Promise) {
    const opened = contents
    // Awaited when the file is reached; a failure before then must not count as unhandled.
    opened.catch(() => undefined)
    return { contents: { kind: 'positional', file: opened }, release: async () => (await opened).close() }
  }
  const iterable = contents
  const source = Symbol.asyncIterator in iterable ? iterable : (async function* () {
    yield* iterable
  })()
  return chunks(primed(source[Symbol.asyncIterator]()))
}

function chunks(iterator: AsyncIterator<Uint8Array>): Started {
  return {
    contents: { kind: 'chunks', chunks: { [Symbol.asyncIterator]: () => iterator } },
    release: async () => {
      await iterator.return?.()
    },
  }
}

/** An iterator whose first chunk is already asked for. */
function primed(iterator: AsyncIterator<Uint8Array>): AsyncIterator<Uint8Array> {
  let first: Promise<IteratorResult<Uint8Array>> | undefined = iterator.next()
  // Awaited when the file is reached; a failure before then must not count as unhandled.
  first.catch(() => undefined)
  return {
    next: () => {
      const result = first ?? iterator.next()
      first = undefined
      return result
    },
    return: async (value?: unknown) => (await iterator.return?.(value)) ?? { done: true, value: undefined },
  }
}
