import { describe, expect, it } from 'vitest'
import { generateBytes } from '../../../src/main/jobs/tasks'
import { createLzxCodec } from '../../../src/main/wim/codecs/lzx'
import { order0Bits, RandomnessCheck } from '../../../src/main/wim/codecs/lzx/randomness'
import { textBytes } from '../../support/wim-fixtures'

describe('LZX randomness check', () => {
  const check = new RandomnessCheck()

  it('counts order-0 entropy', () => {
    expect(order0Bits([4, 4, 0, 0], 4)).toBe(8)
    expect(order0Bits([0, 5], 2)).toBe(0)
  })

  it('gives up on random bytes, which then go raw', () => {
    const random = generateBytes(11, 32768)
    expect(check.hopeless(random, 1024)).toBe(true)
    expect(createLzxCodec({ chunkSize: 32768 }).compress(random)).toBeNull()
  })

  it('keeps text, and random bytes that repeat within the chunk, which then shrink and round-trip', () => {
    expect(check.hopeless(textBytes(3, 32768), 1024)).toBe(false)
    const half = generateBytes(12, 16384)
    const twice = new Uint8Array(32768)
    twice.set(half)
    twice.set(half, 16384)
    expect(check.hopeless(twice, 1024)).toBe(false)
    const codec = createLzxCodec({ chunkSize: 32768 })
    const packed = codec.compress(twice)!
    expect(packed.length).toBeLessThan(17000)
    expect(Buffer.compare(codec.decompress(packed, twice.length), twice)).toBe(0)
  })
})
