/**
 * Reads several piece streams in order, with the first piece of the next few already
 * requested while the current one is consumed. Opening, sizing and reading a small file
 * takes several trips through the I/O thread pool; one file at a time, a capture of
 * thousands of small files spends its time waiting on those trips, not working.
 *
 * Yields each stream's pieces as an iterable, to be consumed before the next is taken. Each
 * stream keeps its own contract (a piece is valid until that stream's next one is asked
 * for): only its first piece is requested early, so at most `ahead` first pieces wait.
 */
export interface AheadStream {
  open(): AsyncIterable<Uint8Array>
  /** Whether it may be opened before the streams ahead of it are done (it shares no buffers with them). */
  independent: boolean
}

export async function* readAhead(streams: readonly AheadStream[], ahead: number): AsyncGenerator<AsyncIterable<Uint8Array>> {
  // Streams opened and not yet handed on, the first being stream `next`'s.
  const opened: Array<{ iterator: AsyncIterator<Uint8Array>; first: Promise<IteratorResult<Uint8Array>> }> = []
  let current: AsyncIterator<Uint8Array> | undefined
  try {
    for (let next = 0; next < streams.length; next++) {
      for (let j = next + opened.length; j < Math.min(streams.length, next + 1 + ahead) && (j === next || streams[j]!.independent); j++) {
        const iterator = streams[j]!.open()[Symbol.asyncIterator]()
        const first = iterator.next()
        // Awaited in its turn; an early failure must not count as unhandled meanwhile.
        first.catch(() => undefined)
        opened.push({ iterator, first })
      }
      // Dropped from the list at once: a consumed stream's pieces must not stay reachable.
      const { iterator, first } = opened.shift()!
      current = iterator
      yield {
        async *[Symbol.asyncIterator]() {
          for (let result = await first; !result.done; result = await iterator.next()) yield result.value
        },
      }
      current = undefined
    }
  } finally {
    // Stopped early (an error or a cancel): close the current stream and those opened ahead.
    await current?.return?.()
    for (const { iterator } of opened) await iterator.return?.()
  }
}
