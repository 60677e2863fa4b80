/**
 * Canonical Huffman codes, shared by the XPRESS, LZX and LZMS codecs. All three read codes
 * most-significant bit first and assign codewords canonically: by length, then by symbol.
 */

/** Entry flag of a decode-table slot that points to a subtable. */
const SUBTABLE_FLAG = 0x80

/**
 * Size of the decode table buildDecodeTable needs for a code of `numSymbols` symbols with
 * codewords up to `maxLength` bits, read `tableBits` at a time (an upper bound: every
 * long-code prefix gets a full subtable).
 */
export function decodeTableSize(numSymbols: number, tableBits: number, maxLength: number): number {
  return (1 << tableBits) + (maxLength > tableBits ? numSymbols << (maxLength - tableBits) : 0)
}

/**
 * Builds a two-level decode table from codeword lengths. A lookup of the next `tableBits`
 * bits gives `symbol << 8 | length`; codes longer than `tableBits` land on a subtable
 * pointer (`start << 8 | 0x80 | subtableBits`) and are resolved with decodeSymbol.
 *
 * Returns false for an over-subscribed or incomplete code, which no valid stream contains.
 * A code with no symbols at all is allowed (as in Microsoft's formats): every lookup then
 * yields symbol 0 with length 0, and the caller must not rely on it.
 */
export function buildDecodeTable(lengths: Uint8Array, numSymbols: number, tableBits: number, maxLength: number, table: Uint32Array): boolean {
  const counts = new Uint16Array(maxLength + 1)
  for (let s = 0; s < numSymbols; s++) {
    const len = lengths[s]!
    if (len > maxLength) return false
    counts[len]!++
  }
  counts[0] = 0
  let left = 1
  let used = 0
  for (let len = 1; len <= maxLength; len++) {
    left = (left << 1) - counts[len]!
    if (left < 0) return false
    used += counts[len]!
  }
  if (used === 0) {
    table.fill(0, 0, 1 << tableBits)
    return true
  }
  if (left !== 0) return false

  let longest = 0
  for (let len = maxLength; len > 0; len--) {
    if (counts[len]) {
      longest = len
      break
    }
  }
  const subBits = Math.max(0, longest - tableBits)
  // Symbols in canonical order (by length, then by symbol) with one counting-sort pass, so the
  // table is built in one walk over the used symbols rather than one scan per length.
  const firstOfLength = new Uint16Array(maxLength + 1)
  for (let len = 1; len < maxLength; len++) firstOfLength[len + 1] = firstOfLength[len]! + counts[len]!
  const sorted = new Uint16Array(used)
  for (let s = 0; s < numSymbols; s++) {
    const len = lengths[s]!
    if (len) sorted[firstOfLength[len]!++] = s
  }
  let subtableEnd = 1 << tableBits
  let currentPrefix = -1
  let currentStart = 0
  let code = 0
  let codeLength = lengths[sorted[0]!]!
  for (let i = 0; i < used; i++) {
    const s = sorted[i]!
    const len = lengths[s]!
    code <<= len - codeLength
    codeLength = len
    const entry = (s << 8) | len
    if (len <= tableBits) {
      const shift = tableBits - len
      for (let at = code << shift, stop = (code + 1) << shift; at < stop; at++) table[at] = entry
    } else {
      const prefix = code >>> (len - tableBits)
      if (prefix !== currentPrefix) {
        currentPrefix = prefix
        currentStart = subtableEnd
        subtableEnd += 1 << subBits
        table[prefix] = (currentStart << 8) | SUBTABLE_FLAG | subBits
      }
      const low = code & ((1 << (len - tableBits)) - 1)
      const shift = subBits - (len - tableBits)
      for (let at = currentStart + (low << shift), stop = currentStart + ((low + 1) << shift); at < stop; at++) table[at] = entry
    }
    code++
  }
  return true
}

/**
 * The table entry for the bits at the top of `window` (a 32-bit value whose most significant
 * bits are the next bits of the stream): `symbol << 8 | length`.
 */
export function decodeSymbol(table: Uint32Array, tableBits: number, window: number): number {
  const entry = table[window >>> (32 - tableBits)]!
  if (!(entry & SUBTABLE_FLAG)) return entry
  const subBits = entry & 0x7f
  return table[(entry >>> 8) + ((window >>> (32 - tableBits - subBits)) & ((1 << subBits) - 1))]!
}

/**
 * Codeword lengths for the given symbol frequencies, none longer than `maxLength`: a
 * Huffman code whose overlong codewords are shortened (zlib's method), then lengths dealt
 * out so the most frequent symbols get the shortest ones. The result is always a complete
 * code, or all zeros when no symbol is used; a single used symbol gets a partner so that
 * decoders which refuse incomplete codes accept it.
 */
export function buildLengthLimitedCode(freqs: ArrayLike<number>, numSymbols: number, maxLength: number, lengths: Uint8Array): void {
  lengths.fill(0, 0, numSymbols)
  // Used symbols by frequency, then by symbol: one numeric key each, sorted natively (a sort
  // with a comparator costs more than all the rest here).
  let n = 0
  let maxFreq = 0
  for (let s = 0; s < numSymbols; s++) {
    const f = freqs[s]!
    if (f > 0) n++
    if (f > maxFreq) maxFreq = f
  }
  if (n === 0) return
  // 32-bit keys sort faster than 64-bit ones (a quarter off this function's time), and fit
  // all but huge blocks' counts.
  const keys = maxFreq * numSymbols + numSymbols <= 0x7fffffff ? new Int32Array(n) : new Float64Array(n)
  for (let s = 0, i = 0; s < numSymbols; s++) if (freqs[s]! > 0) keys[i++] = freqs[s]! * numSymbols + s
  if (n === 1) {
    const only = keys[0]! % numSymbols
    lengths[only] = 1
    lengths[only === 0 ? 1 : 0] = 1
    return
  }
  keys.sort()
  const symbols = new Int32Array(n)
  // Two-queue Huffman construction over leaves (sorted) and internal nodes (built in order).
  const weight = new Float64Array(2 * n)
  const parent = new Int32Array(2 * n)
  for (let i = 0; i < n; i++) {
    symbols[i] = keys[i]! % numSymbols
    weight[i] = freqs[symbols[i]!]!
  }
  let leaf = 0
  let node = n
  let built = n
  const take = (): number => {
    if (leaf < n && (node >= built || weight[leaf]! <= weight[node]!)) return leaf++
    return node++
  }
  for (; built < 2 * n - 1; built++) {
    const a = take()
    const b = take()
    weight[built] = weight[a]! + weight[b]!
    parent[a] = built
    parent[b] = built
  }
  const depth = new Uint8Array(2 * n)
  const blCount = new Uint32Array(maxLength + 1)
  let overflow = 0
  // Top-down (parents have higher indices); depths are clamped as they go and every clamped
  // node, leaf or not, counts as overflow: the repair below relies on that accounting.
  for (let i = 2 * n - 3; i >= 0; i--) {
    let d = depth[parent[i]!]! + 1
    if (d > maxLength) {
      d = maxLength
      overflow++
    }
    depth[i] = d
    if (i < n) blCount[d]!++
  }
  while (overflow > 0) {
    let bits = maxLength - 1
    while (blCount[bits] === 0) bits--
    blCount[bits]!--
    blCount[bits + 1]! += 2
    blCount[maxLength]!--
    overflow -= 2
  }
  // Least frequent symbols take the longest codewords.
  let i = 0
  for (let len = maxLength; len >= 1; len--) {
    for (let k = blCount[len]!; k > 0; k--) lengths[symbols[i++]!] = len
  }
}

/** Canonical codewords for the given lengths (unused symbols get 0). */
export function canonicalCodes(lengths: Uint8Array, numSymbols: number, maxLength: number, codes: Uint32Array): void {
  const counts = new Uint32Array(maxLength + 1)
  for (let s = 0; s < numSymbols; s++) counts[lengths[s]!]!++
  counts[0] = 0
  const next = new Uint32Array(maxLength + 1)
  for (let len = 1, code = 0; len <= maxLength; len++) {
    code = (code + counts[len - 1]!) << 1
    next[len] = code
  }
  for (let s = 0; s < numSymbols; s++) {
    const len = lengths[s]!
    codes[s] = len ? next[len]!++ : 0
  }
}
