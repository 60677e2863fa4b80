/**
 * LZX on its own: streams written bit by bit from the format's description, round trips of
 * our compressor through our decompressor on the cases that go wrong, and damaged input.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { generateBytes } from '../../../src/main/jobs/tasks'
import { createLzxCodec } from '../../../src/main/wim/codecs/lzx'
import { BitWriter } from '../../../src/main/wim/codecs/lzx/bit-writer'
import { BlockWriter } from '../../../src/main/wim/codecs/lzx/block-writer'
import { translateE8, untranslateE8 } from '../../../src/main/wim/codecs/lzx/e8'
import { Frequencies } from '../../../src/main/wim/codecs/lzx/frequencies'
import { Sequences } from '../../../src/main/wim/codecs/lzx/parser'
import { textBytes } from '../../support/wim-fixtures'

/** Bits most significant first into 16-bit little-endian words, as LZX stores them. */
class Bits {
  private readonly bytes: number[] = []
  private word = 0
  private count = 0

  put(value: number, n: number): this {
    for (let bit = n - 1; bit >= 0; bit--) {
      this.word = (this.word << 1) | ((value >>> bit) & 1)
      if (++this.count === 16) this.flushWord()
    }
    return this
  }

  /** To the next 16-bit boundary, or a whole word when already on one (the format's rule). */
  padForUncompressed(): this {
    return this.put(0, 16 - this.count)
  }

  raw(data: ArrayLike<number>): this {
    expect(this.count).toBe(0)
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]!)
    return this
  }

  u32(value: number): this {
    return this.raw([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24])
  }

  done(): Uint8Array {
    if (this.count) this.put(0, 16 - this.count)
    return Uint8Array.from(this.bytes)
  }

  private flushWord(): void {
    this.bytes.push(this.word & 0xff, (this.word >>> 8) & 0xff)
    this.word = 0
    this.count = 0
  }
}

const NUM_MAIN_32K = 256 + 30 * 8
/** Main symbol of a match of length 3 with offset slot 3 (offset 1), which has no extra bits. */
const MATCH_LEN3_OFFSET1 = 256 + 3 * 8 + 1

function uncompressedBlock(bits: Bits, data: number[], recent: [number, number, number] = [1, 1, 1]): Bits {
  bits.put(3, 3).put(0, 1).put(data.length, 16).padForUncompressed()
  recent.forEach((r) => bits.u32(r))
  bits.raw(data)
  if (data.length & 1) bits.raw([0])
  return bits
}

/**
 * The code lengths of a chunk's first block: each 0 or 1, sent through a precode in which
 * symbols 0 ("no change") and 16 ("0 becomes 1") have 1-bit codewords, 0 and 1.
 */
function lengths(bits: Bits, ones: Set<number>, from: number, to: number, oneBitPresyms = [0, 16]): void {
  for (let s = 0; s < 20; s++) bits.put(oneBitPresyms.includes(s) ? 1 : 0, 4)
  for (let s = from; s < to; s++) bits.put(ones.has(s) ? 1 : 0, 1)
}

/**
 * A verbatim block whose main code is exactly two 1-bit codewords: 'A' (0) and a length-3
 * match at offset 1 (1), with an empty length code; `symbols` is a string of 'A' and 'M'.
 */
function verbatimBlock(bits: Bits, size: number, symbols: string, mainOnes = new Set([65, MATCH_LEN3_OFFSET1])): Bits {
  bits.put(1, 3).put(0, 1).put(size, 16)
  lengths(bits, mainOnes, 0, 256)
  lengths(bits, mainOnes, 256, NUM_MAIN_32K)
  lengths(bits, new Set(), 0, 249)
  for (const s of symbols) bits.put(s === 'A' ? 0 : 1, 1)
  return bits
}

function expectCorrupt(run: () => unknown): void {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('CORRUPT')
    return
  }
  expect.unreachable('damaged input was decoded')
}

const codec32k = createLzxCodec({ chunkSize: 32768 })
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0))

describe('LZX streams built from the format description', () => {
  it('decodes uncompressed blocks: alignment, recent offsets, the pad byte after an odd size', () => {
    const stream = uncompressedBlock(uncompressedBlock(new Bits(), ascii('abc')), ascii('de')).done()
    expect(Buffer.from(codec32k.decompress(stream, 5)).toString('latin1')).toBe('abcde')
  })

  it('decodes a verbatim block, with matches that overlap what they copy', () => {
    const stream = verbatimBlock(new Bits(), 10, 'AMMM').done()
    expect(Buffer.from(codec32k.decompress(stream, 10)).toString('latin1')).toBe('A'.repeat(10))
  })

  it('skips a whole word before an uncompressed block when its header ends on a word boundary', () => {
    // The verbatim block's 1005 bits of header and code lengths plus 7 symbols, then the
    // 20-bit header of the uncompressed block: 1032 bits, a multiple of 16.
    const bits = verbatimBlock(new Bits(), 7, 'AAAAAAA')
    const stream = uncompressedBlock(bits, ascii('xyz')).done()
    expect(Buffer.from(codec32k.decompress(stream, 10)).toString('latin1')).toBe('AAAAAAAxyz')
  })

  it('undoes the E8 translation after decoding, except in the last 10 bytes', () => {
    const data = new Array<number>(40).fill(0x90)
    data.splice(3, 5, 0xe8, 0x10, 0, 0, 0) // absolute 16 at 3: relative 13
    data.splice(12, 5, 0xe8, 0xfb, 0xff, 0xff, 0xff) // absolute -5 at 12: relative 11999995
    data.splice(20, 5, 0xe8, 0xe8, 0, 0, 0) // the E8 inside an operand is not a call
    data.splice(31, 5, 0xe8, 0x10, 0, 0, 0) // starts in the last 10 bytes: untouched
    const expected = data.slice()
    expected.splice(4, 4, 13, 0, 0, 0)
    expected.splice(13, 4, ...[11_999_995 & 0xff, (11_999_995 >>> 8) & 0xff, 11_999_995 >>> 16, 0])
    expected.splice(21, 4, 0xe8 - 20, 0, 0, 0)
    const out = codec32k.decompress(uncompressedBlock(new Bits(), data).done(), 40)
    expect([...out]).toEqual(expected)
  })

  it('translates E8 operands and back, wherever the bytes lie in memory', () => {
    const data = generateBytes(5, 5000)
    for (let i = 0; i < data.length; i += 37) data[i] = 0xe8
    const aligned = data.slice()
    translateE8(aligned)
    expect(Buffer.compare(aligned, data)).not.toBe(0)
    // The same bytes one byte into a buffer take the bytewise path: the same result.
    const unaligned = new Uint8Array(data.length + 1).subarray(1)
    unaligned.set(data)
    translateE8(unaligned)
    expect(Buffer.compare(unaligned, aligned)).toBe(0)
    untranslateE8(aligned)
    expect(Buffer.compare(aligned, data)).toBe(0)
  })

  it.each([
    ['an unknown block type', () => new Bits().put(0, 3).put(1, 1).done(), 100],
    ['block type 5', () => new Bits().put(5, 3).put(1, 1).done(), 100],
    ['an empty block', () => new Bits().put(3, 3).put(0, 1).put(0, 16).done(), 100],
    ['a block larger than the chunk', () => uncompressedBlock(new Bits(), ascii('abcdef')).done(), 4],
    ['an uncompressed block cut short', () => new Bits().put(3, 3).put(0, 1).put(10, 16).padForUncompressed().u32(1).u32(1).u32(1).raw([1, 2, 3, 4]).done(), 10],
    ['a recent offset of 0', () => uncompressedBlock(new Bits(), ascii('ab'), [1, 0, 1]).done(), 2],
    ['a match before the start of the chunk', () => verbatimBlock(new Bits(), 4, 'M').done(), 4],
    ['a match past the end of its block', () => verbatimBlock(new Bits(), 3, 'AM').done(), 3],
    ['an incomplete main code', () => verbatimBlock(new Bits(), 2, 'AA', new Set([65])).done(), 2],
    ['an over-subscribed precode', () => {
      const bits = new Bits().put(1, 3).put(0, 1).put(2, 16)
      lengths(bits, new Set([65]), 0, 256, [0, 1, 16])
      return bits.done()
    }, 2],
    ['a stream that ends inside the code lengths', () => verbatimBlock(new Bits(), 4, 'AMM').done().subarray(0, 60), 4],
    ['nothing at all', () => new Uint8Array(0), 4],
  ] as const)('refuses %s with CORRUPT', (_, stream, size) => {
    expectCorrupt(() => codec32k.decompress(stream(), size))
  })

  it.each([
    ['a match before the start of the chunk', () => verbatimBlock(new Bits(), 4, 'M').done(), 4, /LZX: match at 0 reaches 1 bytes back, before the start of the chunk/],
    ['a match past the end of its block', () => verbatimBlock(new Bits(), 3, 'AM').done(), 3, /LZX: match of 3 bytes at 1 runs past the end of its block/],
    ['a compressed chunk larger than the window', () => new Uint8Array(32769), 100, /compressed chunk of 32769 bytes is larger than the 32768-byte window/],
  ] as const)('says where the block decoder found %s', (_, stream, size, message) => {
    expect(() => codec32k.decompress(stream(), size)).toThrow(message)
  })
})

/** Data whose LZX output is worth checking: a name for messages, and its bytes. */
function cases(): Array<[string, Uint8Array]> {
  const calls = generateBytes(7, 32768)
  for (let i = 0; i + 5 < calls.length; i += 9) {
    calls[i] = 0xe8
    calls[i + 4] = i & 16 ? 0xff : 0
  }
  const runs = new Uint8Array(32768)
  for (let i = 0; i < runs.length; i += 300) runs.fill((i / 300) & 3, i, i + 300)
  const mixed = new Uint8Array(32768)
  mixed.set(textBytes(8, 16384))
  mixed.set(generateBytes(9, 16384), 16384)
  // Literals as random as can be, yet half the chunk repeats the other.
  const twice = new Uint8Array(32768)
  twice.set(generateBytes(19, 16384))
  twice.set(twice.subarray(0, 16384), 16384)
  return [
    ['zeros', new Uint8Array(32768)],
    ['text', textBytes(10, 32768)],
    ['odd-sized text', textBytes(11, 12345)],
    ['calls', calls],
    ['runs', runs],
    ['text then random', mixed],
    ['random twice', twice],
    ['all 0xE8', new Uint8Array(32768).fill(0xe8)],
  ]
}

describe('LZX round trips', () => {
  it.each(cases())('%s comes back exactly', (_, data) => {
    const packed = codec32k.compress(data)
    expect(packed).not.toBeNull()
    expect(packed!.length).toBeLessThan(data.length)
    expect(Buffer.compare(codec32k.decompress(packed!, data.length), data)).toBe(0)
  })

  it('stores random and tiny chunks raw (null)', () => {
    expect(codec32k.compress(generateBytes(13, 32768))).toBeNull()
    expect(codec32k.compress(new Uint8Array([42]))).toBeNull()
    expect(codec32k.compress(textBytes(14, 63))).toBeNull()
  })

  it('writes a block of random bytes uncompressed, which Huffman codes cannot beat', () => {
    const data = generateBytes(17, 20000)
    const freqs = new Frequencies(NUM_MAIN_32K)
    for (const byte of data) freqs.main[byte]!++
    const seqs = new Sequences(data.length)
    seqs.first = seqs.literals.length - 1
    seqs.literals[seqs.first] = data.length
    seqs.length[seqs.first] = 0
    const writer = new BitWriter(2 * data.length)
    writer.reset(2 * data.length)
    const blocks = new BlockWriter(NUM_MAIN_32K, false)
    blocks.startChunk()
    blocks.buildLengths(freqs)
    expect(blocks.write(writer, data, 0, data.length, seqs, freqs, 1, 1, 1)).toBe(false)
    const stream = writer.out.slice(0, writer.finish())
    // The block's type: the top 3 bits of the first 16-bit little-endian word.
    expect(stream[1]! >>> 5).toBe(3)
    expect(Buffer.compare(codec32k.decompress(stream, data.length), data)).toBe(0)
  })

  it('gives the same bytes for the same chunk whatever came before', () => {
    const data = textBytes(15, 32768)
    const first = codec32k.compress(data)!
    codec32k.compress(generateBytes(16, 20000))
    codec32k.compress(new Uint8Array(32768))
    expect(Buffer.compare(codec32k.compress(data)!, first)).toBe(0)
  })

  it.each([65536, 262144, 2097152])('round-trips %i-byte chunks', (chunkSize) => {
    const codec = createLzxCodec({ chunkSize })
    const data = new Uint8Array(chunkSize)
    for (let at = 0, k = 0; at < chunkSize; k++) {
      const piece = k % 3 === 0 ? generateBytes(k, 3000) : textBytes(k, 9000)
      data.set(piece.subarray(0, chunkSize - at), at)
      at += piece.length
    }
    const packed = codec.compress(data)!
    expect(packed.length).toBeLessThan(chunkSize * 0.7)
    expect(Buffer.compare(codec.decompress(packed, chunkSize), data)).toBe(0)
    // A final chunk shorter than the window.
    const tail = data.subarray(0, 40_000)
    expect(Buffer.compare(codec.decompress(codec.compress(tail)!, tail.length), tail)).toBe(0)
  })

  // 60 parses again only where the costs were off, 100 always.
  it.each([1, 20, 60, 100])('round-trips at level %i', (level) => {
    const codec = createLzxCodec({ chunkSize: 32768, level })
    for (const [name, data] of cases()) {
      const packed = codec.compress(data)!
      expect(Buffer.compare(codec.decompress(packed, data.length), data), name).toBe(0)
    }
  })
})

describe('LZX windows', () => {
  it('refuses chunks larger than LZX allows, and chunks larger than the window', () => {
    expect(() => createLzxCodec({ chunkSize: 4 * 1024 * 1024 })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
    expectCorrupt(() => codec32k.decompress(new Uint8Array(100), 40_000))
  })
})

describe('LZX on damaged chunks', () => {
  it('refuses with CORRUPT or decodes to other bytes; never throws anything else or hangs', () => {
    const chunks = cases().map(([, data]) => ({ data, packed: codec32k.compress(data)! }))
    let seed = 99
    const next = (): number => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return seed >>> 0
    }
    let refused = 0
    const started = Date.now()
    for (let trial = 0; trial < 3000; trial++) {
      const { data, packed } = chunks[next() % chunks.length]!
      let input: Uint8Array = packed.slice()
      switch (trial % 4) {
        case 0:
          input[next() % input.length] ^= 1 << (next() & 7)
          break
        case 1:
          for (let k = 0; k < 4; k++) input[next() % input.length] = next() & 0xff
          break
        case 2:
          input = input.subarray(0, next() % input.length)
          break
        default:
          input = generateBytes(next(), 1 + (next() % 2000))
      }
      try {
        expect(codec32k.decompress(input, data.length).length).toBe(data.length)
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'CORRUPT') throw error
        refused++
      }
    }
    expect(refused).toBeGreaterThan(1500)
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})
