import { LENGTH_EXTRA_BITS, NUM_REPS, OFFSET_EXTRA_BITS, QUEUE_LENGTH, offsetSlot } from './constants'
import { DELTA_HASHED_BYTES, NUM_POWERS_SEARCHED, type DeltaMatchFinder } from './delta-finder'
import { lengthSlot, type ItemEncoder } from './encoder'
import { DELTA_MATCH, EXPLICIT, LITERAL, LZ_MATCH } from './items'
import { moveToFront, pushFront, resetQueue } from './lru'
import { MAX_REPORTED_LENGTH, type MatchFinder } from './match-finder'
import { DELTA, DELTA_REP0, DELTA_REP1, LZ, LZ_REP0, LZ_REP1, MAIN, MATCH, NUM_DECISIONS, entryIndex, nextState } from './probability'

/**
 * Positions parsed before the chosen items are written. Prices come from the models and codes
 * as they stand when a stretch starts, so a longer stretch sees staler prices.
 */
const WINDOW = 2048
/** Nodes: the window plus the farthest one item sequence can reach past its end. */
const NODES = WINDOW + 2 * (MAX_REPORTED_LENGTH + 1) + 2
const UNREACHED = 0xffffffff

/** Layout of a node's adaptive state: the three queues, the previous item's kind, the decision contexts. */
const LZ_QUEUE = 0
const RAW_QUEUE = LZ_QUEUE + QUEUE_LENGTH
const POWER_QUEUE = RAW_QUEUE + QUEUE_LENGTH
const PREVIOUS = POWER_QUEUE + QUEUE_LENGTH
const CONTEXTS = PREVIOUS + 1
const STATE_SIZE = CONTEXTS + NUM_DECISIONS

/** Prices are in 1/64 bits. */
const COST_SHIFT = 6
/** Price of a bit whose probability is z/64 (z clamped to 1..63), by z. */
const BIT_COST = new Uint32Array(65)
for (let z = 0; z <= 64; z++) BIT_COST[z] = Math.round(-Math.log2(Math.min(63, Math.max(1, z)) / 64) * (1 << COST_SHIFT))

export interface ParserOptions {
  /** Matches at least this long are taken at once, without weighing alternatives (at most 255). */
  niceLength: number
  /** Whether to look for delta matches (slower; they pay off on tables and samples). */
  deltaMatches: boolean
  /** Whether to try "match, one literal, the same offset again" as a unit. */
  matchLiteralRepeat: boolean
}

/**
 * Chooses the items of a chunk: a shortest-path search over positions, where reaching a
 * position costs the bits of the items on the way, priced with the encoder's current models
 * and codes. Each node keeps the adaptive state (recent-source queues, decision contexts) of
 * the cheapest way found to it, which prices the items leaving it. Like wimlib's, this is only
 * near-optimal: the cheapest way to a node need not be part of the cheapest path overall.
 */
export class Parser {
  // The cheapest known arrival at each node: its cost and last item. An arrival through
  // "explicit match, literal, repeat 0" also records the first match in extra*.
  private readonly cost = new Uint32Array(NODES)
  private readonly length = new Uint32Array(NODES)
  private readonly kind = new Uint8Array(NODES)
  private readonly source = new Uint32Array(NODES)
  private readonly power = new Uint8Array(NODES)
  private readonly extraLength = new Uint32Array(NODES)
  private readonly extraSource = new Uint32Array(NODES)
  /** The adaptive state after that arrival, STATE_SIZE numbers per node (see the offsets). */
  private readonly state = new Uint32Array(NODES * STATE_SIZE)
  /** Items of the chosen path, last first, while it is being written out. */
  private readonly pathKind = new Uint8Array(NODES)
  private readonly pathLength = new Uint32Array(NODES)
  private readonly pathSource = new Uint32Array(NODES)
  private readonly pathPower = new Uint8Array(NODES)
  /** Price of each match length up to the longest reported, from the current length code. */
  private readonly lengthCost = new Uint32Array(MAX_REPORTED_LENGTH + 1)
  private lengthCodeVersion = -1
  /** The farthest node with a known arrival. */
  private end = 0
  /** Position of node 0. */
  private base = 0
  /** The longest LZ match priced at the current position. */
  private longestLz = 1

  private data: Uint8Array = new Uint8Array(0)
  private size = 0
  private encoder!: ItemEncoder
  private matches!: MatchFinder
  private deltas!: DeltaMatchFinder

  constructor(private readonly options: ParserOptions) {}

  /** Parses data[0, size) and writes the items; false as soon as the output cannot end up smaller. */
  parse(data: Uint8Array, size: number, matches: MatchFinder, deltas: DeltaMatchFinder, encoder: ItemEncoder): boolean {
    this.data = data
    this.size = size
    this.matches = matches
    this.deltas = deltas
    this.encoder = encoder
    this.lengthCodeVersion = -1
    this.resetState()
    this.base = 0
    while (this.base < size) {
      if (encoder.full()) return false
      if (this.lengthCodeVersion !== encoder.lengths.version) this.priceLengths()
      this.cost[0] = 0
      this.end = 0
      for (let cur = 0; ; ) {
        const pos = this.base + cur
        const taken = this.expand(cur, pos)
        if (taken > 0) {
          // A long match was written at once; add the positions it covers to the finders.
          for (let p = pos + 1; p < pos + taken; p++) this.addPosition(p, false)
          this.base = pos + taken
          break
        }
        cur++
        this.arrive(cur)
        // Every path goes through `cur` when nothing reaches past it: its items are final.
        if (cur === this.end || cur === WINDOW) {
          this.writePath(cur)
          this.copyState(cur, 0)
          this.base += cur
          break
        }
      }
    }
    return true
  }

  /**
   * Prices every item that can leave node `cur` (position `pos`). When one is long enough to
   * take at once, writes the path to `cur` and that item, and returns its length; else 0.
   * (Split by kind of item: the JIT inlines small helpers into each part, not into one whole.)
   */
  private expand(cur: number, pos: number): number {
    const count = this.addPosition(pos, true)
    this.longestLz = 1
    let taken = this.expandRepeats(cur, pos)
    if (taken === 0 && count > 0) taken = this.expandMatches(cur, pos, count)
    if (this.options.deltaMatches) {
      if (taken === 0) taken = this.expandDeltaRepeats(cur, pos)
      if (taken === 0) taken = this.expandDeltaMatches(cur, pos)
    }
    if (taken > 0) return taken
    this.reach(cur + 1)
    const literal = this.data[pos]!
    this.relax(cur + 1, this.cost[cur]! + this.literalCost(cur, literal), 1, LITERAL, literal, 0)
    return 0
  }

  private expandRepeats(cur: number, pos: number): number {
    const data = this.data
    const remaining = this.size - pos
    if (remaining < 2) return 0
    const at = cur * STATE_SIZE
    const queue = at + LZ_QUEUE + (this.state[at + PREVIOUS] === LZ_MATCH ? 1 : 0)
    for (let k = 0; k < NUM_REPS; k++) {
      const offset = this.state[queue + k]!
      if (offset > pos || data[pos] !== data[pos - offset] || data[pos + 1] !== data[pos + 1 - offset]) continue
      const length = extend(data, pos, pos - offset, 2, remaining)
      if (length >= this.options.niceLength) return this.takeLong(cur, LZ_MATCH, length, k, 0)
      if (length > this.longestLz) this.longestLz = length
      const price = this.cost[cur]! + this.repeatCost(cur, LZ_MATCH, k)
      this.reach(cur + length)
      for (let l = 2; l <= length; l++) this.relax(cur + l, price + this.lengthCost[l]!, l, LZ_MATCH, k, 0)
    }
    return 0
  }

  /**
   * Explicit-offset LZ matches: each reported length is priced with its offset, and the
   * lengths between two reported ones with the longer match's (nearer or equal) offset.
   */
  private expandMatches(cur: number, pos: number, count: number): number {
    const lengths = this.matches.lengths
    const offsets = this.matches.offsets
    const longest = lengths[count - 1]!
    if (longest >= this.options.niceLength) {
      const offset = offsets[count - 1]!
      return this.takeLong(cur, LZ_MATCH, extend(this.data, pos, pos - offset, longest, this.size - pos), offset + EXPLICIT, 0)
    }
    if (longest > this.longestLz) this.longestLz = longest
    const price = this.cost[cur]! + this.bitCost(cur, MAIN, 1) + this.bitCost(cur, MATCH, 0) + this.bitCost(cur, LZ, 0)
    this.reach(cur + longest)
    for (let i = 0, l = 2; i < count; i++) {
      const length = lengths[i]!
      const offset = offsets[i]!
      const matchPrice = price + this.lzOffsetCost(offset)
      for (; l <= length; l++) this.relax(cur + l, matchPrice + this.lengthCost[l]!, l, LZ_MATCH, offset + EXPLICIT, 0)
      if (this.options.matchLiteralRepeat) this.tryMatchLiteralRepeat(cur, pos, length, offset, matchPrice + this.lengthCost[length]!)
    }
    return 0
  }

  /**
   * Repeat delta matches. Like explicit ones, they are priced only past the longest LZ match
   * here: where LZ matches reach they are cheaper, and runs would otherwise be priced once
   * per span and length.
   */
  private expandDeltaRepeats(cur: number, pos: number): number {
    const data = this.data
    const remaining = this.size - pos
    if (remaining < 2) return 0
    const at = cur * STATE_SIZE
    const shift = this.state[at + PREVIOUS] === DELTA_MATCH ? 1 : 0
    for (let k = 0; k < NUM_REPS; k++) {
      const power = this.state[at + POWER_QUEUE + shift + k]!
      const span = 1 << power
      const from = pos - this.state[at + RAW_QUEUE + shift + k]! * span
      if (from < span || !deltaEqual(data, pos, from, span, 0) || !deltaEqual(data, pos, from, span, 1)) continue
      if (!this.outreaches(pos, from, span)) continue
      const length = extendDelta(data, pos, from, span, 2, remaining)
      if (length >= this.options.niceLength) return this.takeLong(cur, DELTA_MATCH, length, k, power)
      const price = this.cost[cur]! + this.repeatCost(cur, DELTA_MATCH, k)
      this.reach(cur + length)
      for (let l = this.longestLz + 1; l <= length; l++) this.relax(cur + l, price + this.lengthCost[l]!, l, DELTA_MATCH, k, power)
    }
    return 0
  }

  /** Explicit delta matches: one hashed candidate per span, checked and extended here. */
  private expandDeltaMatches(cur: number, pos: number): number {
    const data = this.data
    const candidates = this.deltas.candidates
    for (let power = 0; power < NUM_POWERS_SEARCHED; power++) {
      const candidate = candidates[power]!
      if (candidate < 0) continue
      const span = 1 << power
      const offset = pos - candidate
      if (offset & (span - 1)) continue
      let length = 0
      while (length < DELTA_HASHED_BYTES && deltaEqual(data, pos, candidate, span, length)) length++
      if (length < DELTA_HASHED_BYTES || !this.outreaches(pos, candidate, span)) continue
      length = extendDelta(data, pos, candidate, span, length, this.size - pos)
      const rawOffset = offset / span
      if (length >= this.options.niceLength) return this.takeLong(cur, DELTA_MATCH, length, rawOffset + EXPLICIT, power)
      const price =
        this.cost[cur]! + this.bitCost(cur, MAIN, 1) + this.bitCost(cur, MATCH, 1) + this.bitCost(cur, DELTA, 0) + this.deltaSourceCost(power, rawOffset)
      this.reach(cur + length)
      for (let l = Math.max(DELTA_HASHED_BYTES, this.longestLz + 1); l <= length; l++) {
        this.relax(cur + l, price + this.lengthCost[l]!, l, DELTA_MATCH, rawOffset + EXPLICIT, power)
      }
    }
    return 0
  }

  /**
   * After an explicit match of `length` at `offset` (reaching its end costs `price`): if the
   * data goes on matching at that offset after one different byte, price the three items.
   */
  private tryMatchLiteralRepeat(cur: number, pos: number, length: number, offset: number, price: number): void {
    const { data } = this
    const after = pos + length + 1
    if (this.size - after < 2 || data[after] !== data[after - offset] || data[after + 1] !== data[after + 1 - offset]) return
    const repeatLength = extend(data, after, after - offset, 2, Math.min(this.options.niceLength, this.size - after))
    // Contexts after the match, then after the literal.
    const s = cur * STATE_SIZE + CONTEXTS
    const mainAfterMatch = nextState(MAIN, this.state[s + MAIN]!, 1)
    const mainAfterLiteral = nextState(MAIN, mainAfterMatch, 0)
    const total =
      price +
      this.stateBitCost(MAIN, mainAfterMatch, 0) +
      (this.encoder.literals.lengths[data[pos + length]!]! << COST_SHIFT) +
      this.stateBitCost(MAIN, mainAfterLiteral, 1) +
      this.stateBitCost(MATCH, nextState(MATCH, this.state[s + MATCH]!, 0), 0) +
      this.stateBitCost(LZ, nextState(LZ, this.state[s + LZ]!, 0), 1) +
      this.stateBitCost(LZ_REP0, this.state[s + LZ_REP0]!, 0) +
      this.lengthCost[repeatLength]!
    const target = cur + length + 1 + repeatLength
    this.reach(target)
    if (total < this.cost[target]!) {
      this.relax(target, total, repeatLength, LZ_MATCH, 0, 0)
      this.extraLength[target] = length
      this.extraSource[target] = offset + EXPLICIT
    }
  }

  /**
   * Whether a delta match from `pos` against `from` can be longer than the longest LZ match:
   * a one-byte test that spares extending the many that cannot.
   */
  private outreaches(pos: number, from: number, span: number): boolean {
    const longest = this.longestLz
    return pos + longest < this.size && deltaEqual(this.data, pos, from, span, longest)
  }

  /** Writes the path to `cur` and the long item leaving it; returns the item's length. */
  private takeLong(cur: number, kind: number, length: number, source: number, power: number): number {
    this.writePath(cur)
    this.encoder.encode(kind, length, source, power)
    this.copyState(cur, 0)
    this.apply(0, kind, source, power)
    return length
  }

  private addPosition(pos: number, report: boolean): number {
    if (this.options.deltaMatches) this.deltas.find(pos)
    return this.matches.find(pos, report)
  }

  private reach(target: number): void {
    while (this.end < target) this.cost[++this.end] = UNREACHED
  }

  private relax(target: number, cost: number, length: number, kind: number, source: number, power: number): void {
    if (cost >= this.cost[target]!) return
    this.cost[target] = cost
    this.length[target] = length
    this.kind[target] = kind
    this.source[target] = source
    this.power[target] = power
    this.extraLength[target] = 0
  }

  /** Computes node `cur`'s adaptive state from its cheapest arrival. */
  private arrive(cur: number): void {
    const extra = this.extraLength[cur]!
    this.copyState(cur - this.length[cur]! - (extra > 0 ? extra + 1 : 0), cur)
    if (extra > 0) {
      this.apply(cur, LZ_MATCH, this.extraSource[cur]!, 0)
      this.apply(cur, LITERAL, 0, 0)
    }
    this.apply(cur, this.kind[cur]!, this.source[cur]!, this.power[cur]!)
  }

  /** Writes the items of the cheapest path from node 0 to `last`. */
  private writePath(last: number): void {
    let count = 0
    for (let node = last; node > 0; ) {
      const extra = this.extraLength[node]!
      const extraSource = this.extraSource[node]!
      count = this.pushItem(count, this.kind[node]!, this.length[node]!, this.source[node]!, this.power[node]!)
      node -= this.length[node]!
      if (extra > 0) {
        count = this.pushItem(count, LITERAL, 1, this.data[this.base + node - 1]!, 0)
        count = this.pushItem(count, LZ_MATCH, extra, extraSource, 0)
        node -= 1 + extra
      }
    }
    while (count > 0) {
      count--
      this.encoder.encode(this.pathKind[count]!, this.pathLength[count]!, this.pathSource[count]!, this.pathPower[count]!)
    }
  }

  private pushItem(count: number, kind: number, length: number, source: number, power: number): number {
    this.pathKind[count] = kind
    this.pathLength[count] = length
    this.pathSource[count] = source
    this.pathPower[count] = power
    return count + 1
  }

  private resetState(): void {
    const state = this.state
    resetQueue(state, LZ_QUEUE)
    resetQueue(state, RAW_QUEUE)
    state.fill(0, POWER_QUEUE, STATE_SIZE)
    state[PREVIOUS] = LITERAL
  }

  private copyState(from: number, to: number): void {
    const state = this.state
    const source = from * STATE_SIZE
    const target = to * STATE_SIZE
    for (let i = 0; i < STATE_SIZE; i++) state[target + i] = state[source + i]!
  }

  /** Advances node `n`'s adaptive state over one item, as encoder and decoder will. */
  private apply(n: number, kind: number, source: number, power: number): void {
    const state = this.state
    const at = n * STATE_SIZE
    const s = at + CONTEXTS
    state[s + MAIN] = nextState(MAIN, state[s + MAIN]!, kind === LITERAL ? 0 : 1)
    if (kind === LITERAL) {
      state[at + PREVIOUS] = LITERAL
      return
    }
    const delta = kind === DELTA_MATCH
    state[s + MATCH] = nextState(MATCH, state[s + MATCH]!, delta ? 1 : 0)
    const decision = delta ? DELTA : LZ
    if (source >= NUM_REPS) {
      state[s + decision] = nextState(decision, state[s + decision]!, 0)
      if (delta) {
        pushFront(state, at + POWER_QUEUE, power)
        pushFront(state, at + RAW_QUEUE, source - EXPLICIT)
      } else {
        pushFront(state, at + LZ_QUEUE, source - EXPLICIT)
      }
    } else {
      state[s + decision] = nextState(decision, state[s + decision]!, 1)
      const first = delta ? DELTA_REP0 : LZ_REP0
      state[s + first] = nextState(first, state[s + first]!, source > 0 ? 1 : 0)
      if (source > 0) state[s + first + 1] = nextState(first + 1, state[s + first + 1]!, source - 1)
      const index = source + (state[at + PREVIOUS] === kind ? 1 : 0)
      if (delta) {
        moveToFront(state, at + POWER_QUEUE, index)
        moveToFront(state, at + RAW_QUEUE, index)
      } else {
        moveToFront(state, at + LZ_QUEUE, index)
      }
    }
    state[at + PREVIOUS] = kind
  }

  private priceLengths(): void {
    const lengths = this.encoder.lengths.lengths
    for (let l = 1; l <= MAX_REPORTED_LENGTH; l++) {
      const slot = lengthSlot(l)
      this.lengthCost[l] = (lengths[slot]! + LENGTH_EXTRA_BITS[slot]!) << COST_SHIFT
    }
    this.lengthCodeVersion = this.encoder.lengths.version
  }

  private bitCost(node: number, decision: number, bit: number): number {
    return this.stateBitCost(decision, this.state[node * STATE_SIZE + CONTEXTS + decision]!, bit)
  }

  private stateBitCost(decision: number, state: number, bit: number): number {
    const zeros = this.encoder.models.entries[entryIndex(decision, state)]!
    return BIT_COST[bit ? 64 - zeros : zeros]!
  }

  /** Price of the decisions of a repeat match (without its length). */
  private repeatCost(node: number, kind: number, index: number): number {
    const delta = kind === DELTA_MATCH
    const first = delta ? DELTA_REP0 : LZ_REP0
    let cost = this.bitCost(node, MAIN, 1) + this.bitCost(node, MATCH, delta ? 1 : 0) + this.bitCost(node, delta ? DELTA : LZ, 1)
    cost += this.bitCost(node, first, index > 0 ? 1 : 0)
    if (index > 0) cost += this.bitCost(node, delta ? DELTA_REP1 : LZ_REP1, index - 1)
    return cost
  }

  private literalCost(node: number, byte: number): number {
    return this.bitCost(node, MAIN, 0) + (this.encoder.literals.lengths[byte]! << COST_SHIFT)
  }

  private lzOffsetCost(offset: number): number {
    const slot = offsetSlot(offset)
    return (this.encoder.lzOffsets.lengths[slot]! + OFFSET_EXTRA_BITS[slot]!) << COST_SHIFT
  }

  private deltaSourceCost(power: number, rawOffset: number): number {
    const slot = offsetSlot(rawOffset)
    return (this.encoder.deltaPowers.lengths[power]! + this.encoder.deltaOffsets.lengths[slot]! + OFFSET_EXTRA_BITS[slot]!) << COST_SHIFT
  }
}

/** Extends a match of `length` bytes between positions a and b up to `limit`. */
function extend(data: Uint8Array, a: number, b: number, length: number, limit: number): number {
  while (length < limit && data[a + length] === data[b + length]) length++
  return length
}

/** Whether byte i after a changes from the byte a span before it as byte i after b does. */
function deltaEqual(data: Uint8Array, a: number, b: number, span: number, i: number): boolean {
  return ((data[a + i]! - data[a + i - span]! - data[b + i]! + data[b + i - span]!) & 0xff) === 0
}

function extendDelta(data: Uint8Array, a: number, b: number, span: number, length: number, limit: number): number {
  while (length < limit && deltaEqual(data, a, b, span, length)) length++
  return length
}
