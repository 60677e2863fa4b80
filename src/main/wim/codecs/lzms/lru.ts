import { QUEUE_LENGTH } from './constants'

/**
 * The queues of recent match sources (LZ offsets; delta power and raw offset), kept in 4
 * slots of a typed array from `at`.
 *
 * LZMS delays putting a source at the front of its queue by one item: right after a match, a
 * repeat match cannot name that same source (it would have been one longer match), so index 0
 * names the source before it. We insert at once instead, and a repeat match directly after a
 * match of its own kind reads one slot further: the same sources, in the same order.
 */

/** Puts an explicitly coded source at the front; the oldest falls off. */
export function pushFront(queue: Uint32Array, at: number, value: number): void {
  for (let i = at + QUEUE_LENGTH - 1; i > at; i--) queue[i] = queue[i - 1]!
  queue[at] = value
}

/** Moves the source in slot `index` to the front and returns it: what a repeat match does. */
export function moveToFront(queue: Uint32Array, at: number, index: number): number {
  const value = queue[at + index]!
  for (let i = at + index; i > at; i--) queue[i] = queue[i - 1]!
  queue[at] = value
  return value
}

/** A queue at the start of a chunk: 1, 2, 3, 4 (delta queues: these raw offsets, all of power 0). */
export function resetQueue(queue: Uint32Array, at: number): void {
  for (let i = 0; i < QUEUE_LENGTH; i++) queue[at + i] = i + 1
}
