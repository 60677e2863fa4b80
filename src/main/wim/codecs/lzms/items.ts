import { NUM_REPS } from './constants'

/** What an item is; a repeat match right after a match of its own kind reads one queue slot further (see lru.ts). */
export const LITERAL = 0
export const LZ_MATCH = 1
export const DELTA_MATCH = 2

/**
 * A match's source as the parser and encoder pass it: 0 to 2 name a recent source (a repeat
 * match); an explicit offset (or a delta match's raw offset) is stored as offset + EXPLICIT,
 * so every value at or above NUM_REPS is explicit.
 */
export const EXPLICIT = NUM_REPS - 1
