import { describe, expect, it } from 'vitest'
import { fillFat, END_OF_CHAIN } from '../../../src/main/fs/fat32/fat'
import { decodeFatTimestamp, encodeFatTimestamp } from '../../../src/main/fs/fat32/timestamps'
import { exactShortName, LOWER_CASE_BASE, LOWER_CASE_EXTENSION, ShortNameTable } from '../../../src/main/fs/fat32/short-names'

describe('FAT timestamps', () => {
  it("packs date, time and the creation time's 10 ms field as the specification lays them out", () => {
    const t = encodeFatTimestamp(new Date(Date.UTC(2024, 2, 15, 13, 45, 31, 257)))
    expect(t.date).toBe(((2024 - 1980) << 9) | (3 << 5) | 15)
    expect(t.time).toBe((13 << 11) | (45 << 5) | 15)
    // 31 s is stored as 15 two-second units; the odd second and 250 ms go in the 10 ms field.
    expect(t.tenMs).toBe(125)
    expect(decodeFatTimestamp(t)).toEqual(new Date(Date.UTC(2024, 2, 15, 13, 45, 31, 250)))
  })

  it('clamps dates outside 1980-2107', () => {
    expect(decodeFatTimestamp(encodeFatTimestamp(new Date(Date.UTC(1970, 0, 1))))).toEqual(new Date(Date.UTC(1980, 0, 1)))
    expect(decodeFatTimestamp(encodeFatTimestamp(new Date(Date.UTC(2200, 0, 1))))).toEqual(new Date(Date.UTC(2107, 11, 31, 23, 59, 59, 990)))
  })
})

describe('short names', () => {
  it('keeps valid 8.3 names, with NT case flags for an all-lower part', () => {
    expect(exactShortName('README.TXT')).toEqual({ field: 'README  TXT', caseFlags: 0, needsLongName: false })
    expect(exactShortName('readme.txt')).toEqual({ field: 'README  TXT', caseFlags: LOWER_CASE_BASE | LOWER_CASE_EXTENSION, needsLongName: false })
    expect(exactShortName('README.txt')).toEqual({ field: 'README  TXT', caseFlags: LOWER_CASE_EXTENSION, needsLongName: false })
    expect(exactShortName('Readme.txt')).toEqual({ field: 'README  TXT', caseFlags: 0, needsLongName: true })
    expect(exactShortName('12345678.123')?.needsLongName).toBe(false)
    for (const name of ['123456789', 'a.txtx', 'a b', 'a.b.c', '.a', 'a+b', 'é']) expect(exactShortName(name), name).toBeUndefined()
  })

  it('gives numeric tails in order, shortening the basis as the tail grows', () => {
    const table = new ShortNameTable()
    const names = Array.from({ length: 10 }, () => table.generate('Program Files'))
    expect(names[0]).toBe('PROGRA~1   ')
    expect(names[8]).toBe('PROGRA~9   ')
    expect(names[9]).toBe('PROGR~10   ')
    table.claim('DATA~1  BIN')
    expect(table.generate('data file.bin')).toBe('DATAFI~1BIN')
    expect(table.generate('data.binary')).toBe('DATA~2  BIN')
  })
})

describe('the FAT, generated in pieces', () => {
  it('gives the same table whatever the pieces', () => {
    const chains = { media: 0xf8, lastClusters: Uint32Array.from([2, 5, 6, 40]), end: 41 }
    const entries = 64
    const whole = new Uint8Array(entries * 4)
    fillFat(whole, 0, chains)
    const view = new DataView(whole.buffer)
    expect(view.getUint32(0, true)).toBe(0x0ffffff8)
    expect(view.getUint32(4, true)).toBe(0x0fffffff)
    expect([2, 3, 4, 5, 6, 7, 39, 40, 41].map((c) => view.getUint32(c * 4, true))).toEqual([END_OF_CHAIN, 4, 5, END_OF_CHAIN, END_OF_CHAIN, 8, 40, END_OF_CHAIN, 0])
    for (const piece of [1, 3, 7]) {
      const pieced = new Uint8Array(entries * 4)
      for (let first = 0; first < entries; first += piece) fillFat(pieced.subarray(first * 4, Math.min(entries, first + piece) * 4), first, chains)
      expect(pieced, `pieces of ${piece}`).toEqual(whole)
    }
  })
})
