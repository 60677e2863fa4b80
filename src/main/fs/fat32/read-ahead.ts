/**
 * Opens the files after the one being copied early and asks each for its first chunk, so
 * the latency of opening and reading thousands of small files overlaps the copying instead
 * of adding up. Bounded: at most READ_AHEAD_FILES files, of READ_AHEAD_BYTES declared bytes
 * in all, are started ahead; a larger file starts when it is reached.
 */
import type { FileContents, PlannedFile } from './tree'

const READ_AHEAD_FILES = 64
const READ_AHEAD_BYTES = 4 * 1024 * 1024

export class ReadAhead {
  private readonly started = new Map<number, AsyncIterator<Uint8Array>>()

  constructor(private readonly files: readonly PlannedFile[]) {}

  /** The contents of file `index`, perhaps already being read; starts the files after it. */
  take(index: number): AsyncIterable<Uint8Array> {
    const iterator = this.started.get(index) ?? primed(this.files[index]!)
    this.started.delete(index)
    let bytes = 0
    for (let i = index + 1; i < this.files.length && i <= index + READ_AHEAD_FILES; i++) {
      bytes += this.files[i]!.size
      if (bytes > READ_AHEAD_BYTES) break
      if (!this.started.has(i)) this.started.set(i, primed(this.files[i]!))
    }
    return { [Symbol.asyncIterator]: () => iterator }
  }

  /** Let the sources started ahead release what they hold (file handles). */
  async close(): Promise<void> {
    const pending = [...this.started.values()]
    this.started.clear()
    await Promise.allSettled(pending.map((iterator) => iterator.return?.()))
  }
}

/** An iterator over a file's contents whose first chunk is already asked for. */
function primed(file: PlannedFile): AsyncIterator<Uint8Array> {
  const iterator = contentsIterator(file)
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

/** A source that fails to open fails when its file is reached, like one that fails to read. */
function contentsIterator(file: PlannedFile): AsyncIterator<Uint8Array> {
  let contents: FileContents
  try {
    contents = file.open()
  } catch (error) {
    return { next: () => Promise.reject(error) }
  }
  const source = Symbol.asyncIterator in contents ? contents : (async function* () {
    yield* contents
  })()
  return source[Symbol.asyncIterator]()
}
