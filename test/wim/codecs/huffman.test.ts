import { describe, expect, it } from 'vitest'
import { buildDecodeTable, buildLengthLimitedCode, canonicalCodes, decodeSymbol, decodeTableSize } from '../../../src/main/wim/codecs/huffman'

function random(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

function kraft(lengths: Uint8Array): number {
  let sum = 0
  for (const l of lengths) if (l) sum += 2 ** -l
  return sum
}

describe('canonical Huffman codes', () => {
  it('builds complete, length-limited codes from skewed frequencies', () => {
    const rnd = random(1)
    for (const [symbols, maxLength] of [[512, 15], [656, 16], [8, 7], [250, 8], [30, 16]] as const) {
      for (let trial = 0; trial < 20; trial++) {
        const freqs = Array.from({ length: symbols }, () => (rnd() < 0.3 ? 0 : Math.floor(2 ** (rnd() * 20))))
        const lengths = new Uint8Array(symbols)
        buildLengthLimitedCode(freqs, symbols, maxLength, lengths)
        const used = freqs.filter((f) => f > 0).length
        if (used >= 2) expect(kraft(lengths)).toBeCloseTo(1, 12)
        expect(Math.max(...lengths)).toBeLessThanOrEqual(maxLength)
        freqs.forEach((f, s) => expect(lengths[s]! > 0).toBe(f > 0))
      }
    }
  })

  it('gives counts too large for 32-bit sort keys the code their smaller multiples get', () => {
    const rnd = random(3)
    const freqs = Array.from({ length: 512 }, () => (rnd() < 0.3 ? 0 : 1 + Math.floor(2 ** (rnd() * 16))))
    const small = new Uint8Array(512)
    const large = new Uint8Array(512)
    buildLengthLimitedCode(freqs, 512, 15, small)
    buildLengthLimitedCode(
      freqs.map((f) => f * 2 ** 20),
      512,
      15,
      large,
    )
    expect([...large]).toEqual([...small])
  })

  it('gives a single used symbol a partner so the code is complete', () => {
    const lengths = new Uint8Array(4)
    buildLengthLimitedCode([0, 0, 9, 0], 4, 15, lengths)
    expect([...lengths]).toEqual([1, 0, 1, 0])
  })

  it('decodes what the canonical codes encode, through both table levels', () => {
    const rnd = random(7)
    for (const [symbols, maxLength, tableBits] of [[512, 15, 10], [656, 16, 11], [20, 16, 4]] as const) {
      const freqs = Array.from({ length: symbols }, (_, i) => (i % 5 === 0 ? 0 : 1 + Math.floor(2 ** (rnd() * 24))))
      const lengths = new Uint8Array(symbols)
      buildLengthLimitedCode(freqs, symbols, maxLength, lengths)
      const codes = new Uint32Array(symbols)
      canonicalCodes(lengths, symbols, maxLength, codes)
      const table = new Uint32Array(decodeTableSize(symbols, tableBits, maxLength))
      expect(buildDecodeTable(lengths, symbols, tableBits, maxLength, table)).toBe(true)
      for (let s = 0; s < symbols; s++) {
        if (!lengths[s]) continue
        const window = (codes[s]! << (32 - lengths[s]!)) >>> 0 | Math.floor(rnd() * 2 ** (32 - lengths[s]!))
        expect(decodeSymbol(table, tableBits, window >>> 0)).toBe((s << 8) | lengths[s]!)
      }
    }
  })

  it('refuses over-subscribed and incomplete codes, and accepts an empty one', () => {
    const table = new Uint32Array(decodeTableSize(4, 4, 8))
    expect(buildDecodeTable(new Uint8Array([1, 1, 1, 0]), 4, 4, 8, table)).toBe(false)
    expect(buildDecodeTable(new Uint8Array([1, 2, 0, 0]), 4, 4, 8, table)).toBe(false)
    expect(buildDecodeTable(new Uint8Array([0, 0, 0, 0]), 4, 4, 8, table)).toBe(true)
    expect(buildDecodeTable(new Uint8Array([1, 2, 3, 3]), 4, 4, 8, table)).toBe(true)
  })
})
