import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CodeLengthBuilder } from '../../../src/main/wim/codecs/lzms/adaptive-huffman'
import {
  LENGTH_SLOT_BASE,
  MAX_NUM_OFFSET_SYMBOLS,
  OFFSET_EXTRA_BITS,
  OFFSET_SLOT_BASE,
  numOffsetSlots,
  offsetSlot,
  slotOf,
} from '../../../src/main/wim/codecs/lzms/constants'
import { x86Filter } from '../../../src/main/wim/codecs/lzms/x86-filter'

function lengthsFor(freqs: number[]): number[] {
  const lengths = new Uint8Array(freqs.length)
  new CodeLengthBuilder(freqs.length).build(Uint32Array.from(freqs), freqs.length, lengths)
  return [...lengths]
}

/** A few real x86-64 executables, as the filter sees them in Windows images. */
function machineCode(limit: number): Uint8Array {
  const parts: Uint8Array[] = []
  let total = 0
  for (const name of readdirSync('/usr/bin').sort()) {
    const path = join('/usr/bin', name)
    const st = statSync(path, { throwIfNoEntry: false })
    if (!st?.isFile() || st.size < 20_000 || st.size > 200_000) continue
    parts.push(readFileSync(path))
    total += st.size
    if (total >= limit) break
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

describe('LZMS slot tables', () => {
  it('have the bases the format fixes', () => {
    // Checkpoints of wimlib's tables: where the extra-bit counts change regime, and the ends.
    expect(OFFSET_SLOT_BASE.length).toBe(MAX_NUM_OFFSET_SYMBOLS + 1)
    expect([OFFSET_SLOT_BASE[0], OFFSET_SLOT_BASE[8], OFFSET_SLOT_BASE[9], OFFSET_SLOT_BASE[167], OFFSET_SLOT_BASE[427]]).toEqual([1, 9, 0xd, 0xe4a5, 0x3de4a5])
    expect([OFFSET_SLOT_BASE[798], OFFSET_SLOT_BASE[799], OFFSET_EXTRA_BITS[798]]).toEqual([0x065be4a5, 0x465be4a5, 30])
    expect([LENGTH_SLOT_BASE[0], LENGTH_SLOT_BASE[26], LENGTH_SLOT_BASE[27], LENGTH_SLOT_BASE[53], LENGTH_SLOT_BASE[54]]).toEqual([1, 27, 0x1d, 0x108ab, 0x400108ab])
  })

  it('map offsets to slots by table as by search, at every slot boundary', () => {
    for (let slot = 0; slot < MAX_NUM_OFFSET_SYMBOLS; slot++) {
      const base = OFFSET_SLOT_BASE[slot]!
      if (base >= 2 ** 30) break
      for (const offset of [base, base + 1, OFFSET_SLOT_BASE[slot + 1]! - 1]) {
        if (offset < 2 ** 30) expect(offsetSlot(offset)).toBe(slotOf(offset, OFFSET_SLOT_BASE))
      }
      expect(slotOf(base, OFFSET_SLOT_BASE)).toBe(slot)
    }
  })

  it('give a chunk as many offset slots as its largest offset needs', () => {
    expect(numOffsetSlots(1)).toBe(0)
    expect(numOffsetSlots(2)).toBe(1)
    expect(numOffsetSlots(0xe4a5 + 1)).toBe(168)
    expect(numOffsetSlots(64 * 2 ** 20)).toBeLessThan(MAX_NUM_OFFSET_SYMBOLS)
  })
})

describe('LZMS code lengths', () => {
  it('build the Huffman code in which a leaf wins a frequency tie against an internal node', () => {
    // With internal nodes first, these frequencies would give 5, 2, 5, 4, 4, 1, 4.
    expect(lengthsFor([1, 3, 1, 1, 1, 5, 1])).toEqual([4, 2, 4, 3, 3, 2, 3])
  })

  it('deal equal frequencies out by symbol, the lower symbols taking the longer codewords', () => {
    expect(lengthsFor([1, 1, 1])).toEqual([2, 2, 1])
    expect(lengthsFor([4, 4, 4, 4])).toEqual([2, 2, 2, 2])
  })

  it('make complete codes of at most 15 bits, even from Fibonacci frequencies', () => {
    // Unlimited, these would need 17 bits; LZMS frequencies stay below 4096, as these do.
    const fib = [1, 1]
    while (fib.length < 18) fib.push(fib.at(-1)! + fib.at(-2)!)
    const lengths = lengthsFor(fib)
    expect(Math.max(...lengths)).toBe(15)
    expect(lengths.reduce((sum, l) => sum + 2 ** -l, 0)).toBe(1)
  })
})

describe('LZMS x86 filter', () => {
  it('restores the data it translated, and translates real machine code', () => {
    const code = machineCode(600_000)
    const data = code.slice()
    const usage = new Int32Array(65536)
    x86Filter(data, data.length, usage, false)
    let changed = 0
    for (let i = 0; i < data.length; i++) if (data[i] !== code[i]) changed++
    expect(changed).toBeGreaterThan(1000)
    x86Filter(data, data.length, usage, true)
    expect(Buffer.compare(data, code)).toBe(0)
  })

  it('translates a call once another call named the same target, and never in the last 16 bytes', () => {
    const data = new Uint8Array(60)
    // Target 0x10a (the call's position + its 16-bit displacement) named at 1, then at 20:
    // that is evidence of code, so calls in the next 511 bytes get absolute addresses.
    data.set([0xe8, 0x09, 0x01, 0x00, 0x00], 1)
    data.set([0xe8, 0xf6, 0x00, 0x00, 0x00], 20)
    data.set([0xe8, 0x20, 0x00, 0x00, 0x00], 30)
    data.set([0xe8, 0x20, 0x00, 0x00, 0x00], 45)
    const original = data.slice()
    x86Filter(data, data.length, new Int32Array(65536), false)
    expect([...data.subarray(0, 30)]).toEqual([...original.subarray(0, 30)])
    expect([...data.subarray(31, 35)]).toEqual([0x20 + 30, 0, 0, 0])
    expect([...data.subarray(35)]).toEqual([...original.subarray(35)])
    x86Filter(data, data.length, new Int32Array(65536), true)
    expect([...data]).toEqual([...original])
  })

  it('leaves chunks of 17 bytes or fewer alone', () => {
    const data = Uint8Array.of(0xe8, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0, 0)
    const copy = data.slice()
    x86Filter(copy, copy.length, new Int32Array(65536), false)
    expect([...copy]).toEqual([...data])
  })
})
