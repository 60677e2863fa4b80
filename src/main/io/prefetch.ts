/**
 * The items of an async iterable with the next one always asked for before the current one
 * is handed out, so the source's next read overlaps whatever is done with this one. Only for
 * sources that hand out fresh items: one that reused a buffer would change it under its user.
 */
export async function* prefetched<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]()
  let next = iterator.next()
  try {
    for (;;) {
      const result = await next
      if (result.done) return
      next = iterator.next()
      // Awaited on the next turn; if the user stops before that, its failure is of no interest.
      next.catch(() => undefined)
      yield result.value
    }
  } finally {
    await iterator.return?.()
  }
}
