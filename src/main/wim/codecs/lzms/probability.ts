import {
  INITIAL_HISTORY_HIGH,
  INITIAL_HISTORY_LOW,
  INITIAL_ZERO_COUNT,
  NUM_DELTA_REP_STATES,
  NUM_DELTA_STATES,
  NUM_LZ_REP_STATES,
  NUM_LZ_STATES,
  NUM_MAIN_STATES,
  NUM_MATCH_STATES,
  PROBABILITY_DENOMINATOR,
} from './constants'

/** The binary decisions that shape an item: literal or match, which kind, which source. */
export const MAIN = 0
export const MATCH = 1
export const LZ = 2
export const LZ_REP0 = 3
export const LZ_REP1 = 4
export const DELTA = 5
export const DELTA_REP0 = 6
export const DELTA_REP1 = 7
export const NUM_DECISIONS = 8

/** Context bits of each decision: it remembers its last 4, 5 or 6 outcomes. */
const STATE_MASKS = Int32Array.of(
  NUM_MAIN_STATES - 1,
  NUM_MATCH_STATES - 1,
  NUM_LZ_STATES - 1,
  NUM_LZ_REP_STATES - 1,
  NUM_LZ_REP_STATES - 1,
  NUM_DELTA_STATES - 1,
  NUM_DELTA_REP_STATES - 1,
  NUM_DELTA_REP_STATES - 1,
)
/** Room for the most contexts any decision has. */
const CONTEXT_BITS = 6

/** Index in `entries` of the probability entry of a decision in a context. */
export function entryIndex(decision: number, state: number): number {
  return ((decision << CONTEXT_BITS) | state) * 3
}

/** The state a decision moves to after `bit`. */
export function nextState(decision: number, state: number, bit: number): number {
  return ((state << 1) | bit) & STATE_MASKS[decision]!
}

/**
 * The adaptive probabilities of the binary decisions. Each decision's context (state) is its
 * last few outcomes; each context remembers the last 64 bits coded in it, and the chance of a
 * 0 is the share of zeros among them (kept away from 0 and 1). The parser prices bits from
 * the same entries, with contexts of its own.
 */
export class DecisionModels {
  /** Per (decision, context), 3 numbers: zeros among the last 64 bits, then those bits (newest lowest) as two halves. */
  readonly entries = new Int32Array((NUM_DECISIONS << CONTEXT_BITS) * 3)
  /** Current context of each decision. */
  readonly states = new Int32Array(NUM_DECISIONS)

  constructor() {
    this.reset()
  }

  reset(): void {
    const entries = this.entries
    for (let i = 0; i < entries.length; i += 3) {
      entries[i] = INITIAL_ZERO_COUNT
      entries[i + 1] = INITIAL_HISTORY_HIGH
      entries[i + 2] = INITIAL_HISTORY_LOW
    }
    this.states.fill(0)
  }

  /** Chance out of 64 that the decision's next bit is 0, in its current context: 1 to 63. */
  probability(decision: number): number {
    const zeros = this.entries[entryIndex(decision, this.states[decision]!)]!
    return zeros === 0 ? 1 : zeros === PROBABILITY_DENOMINATOR ? PROBABILITY_DENOMINATOR - 1 : zeros
  }

  /** Records the decision's coded bit in its context, then moves to the next context. */
  update(decision: number, bit: number): void {
    const entries = this.entries
    const state = this.states[decision]!
    const at = entryIndex(decision, state)
    const high = entries[at + 1]!
    const low = entries[at + 2]!
    // The bit leaving the 64-bit window was a zero if it is 0.
    entries[at] = entries[at]! + (high >>> 31) - bit
    entries[at + 1] = (high << 1) | (low >>> 31)
    entries[at + 2] = (low << 1) | bit
    this.states[decision] = nextState(decision, state, bit)
  }
}
