import { compareNames, nameKey, unsafeWindowsNameReason } from '../../../src/main/io/names'
import { describe, expect, it } from 'vitest'
import { splitSourcePath } from '../../../src/main/fs/source-tree'
import { parseDirectoryRecord } from '../../../src/main/fs/iso/directory-record'
import { parseBootCatalog } from '../../../src/main/fs/iso/el-torito'
import { StructureView } from '../../../src/main/fs/iso/structure-view'
import { parseAllocationDescriptors } from '../../../src/main/fs/udf/allocation-descriptors'
import { descriptorCrc, tagProblem } from '../../../src/main/fs/udf/descriptor-tag'
import { decodeDstring, decodeOstaString } from '../../../src/main/fs/udf/osta-string'
import { parseTimestamp } from '../../../src/main/fs/udf/timestamp'

function view(bytes: ArrayLike<number>, structure = 'test structure', offset = 1000): StructureView {
  return new StructureView(Uint8Array.from(bytes), { file: '/x.iso', offset }, structure)
}

function bytesWith(length: number, fill: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(length)
  fill(b)
  return b
}

describe('bounds-checked structure reads', () => {
  it('turns a read outside the structure or an impossible 64-bit value into CORRUPT with the absolute offset', () => {
    const v = view([1, 2, 3, 4], 'UDF file entry', 4096)
    expect(v.u16(2)).toBe(0x0403)
    expect(() => v.u32(2)).toThrow(expect.objectContaining({ code: 'CORRUPT', details: { path: '/x.iso', structure: 'UDF file entry', offset: 4098 } }))
    expect(() => v.sub(3, 5)).toThrow(expect.objectContaining({ code: 'CORRUPT' }))
    expect(() => view(new Uint8Array(8).fill(0xff)).u64(0)).toThrow(/beyond any real size/)
  })
})

describe('UDF descriptor tags', () => {
  it('computes the CRC of ECMA-167 3/7.2.6 (the standard example: 70 6A 77 → 3299)', () => {
    expect(descriptorCrc(Uint8Array.of(0x70, 0x6a, 0x77))).toBe(0x3299)
  })

  function tagged(id: number, location: number, body: number[]): Buffer {
    const b = Buffer.alloc(16 + body.length)
    b.writeUInt16LE(id, 0)
    b.writeUInt16LE(2, 2)
    b.set(body, 16)
    b.writeUInt16LE(descriptorCrc(Uint8Array.from(body)), 8)
    b.writeUInt16LE(body.length, 10)
    b.writeUInt32LE(location, 12)
    let sum = 0
    for (let i = 0; i < 16; i++) if (i !== 4) sum += b[i]
    b[4] = sum & 0xff
    return b
  }

  it('accepts a sound tag and names each way one can be wrong', () => {
    const good = tagged(261, 77, [1, 2, 3, 4])
    expect(tagProblem(view(good), [261, 266], 77)).toBeNull()
    expect(tagProblem(view(good), [256], 77)).toMatch(/identifier is 261, expected 256/)
    expect(tagProblem(view(good), [261], 78)).toMatch(/at block 77, but it was read from block 78/)
    const flipped = Buffer.from(good)
    flipped[17] ^= 1
    expect(tagProblem(view(flipped), [261], 77)).toMatch(/CRC/)
    const badSum = Buffer.from(good)
    badSum[4] ^= 1
    expect(tagProblem(view(badSum), [261], 77)).toMatch(/checksum/)
    expect(tagProblem(view(good.subarray(0, 18)), [261], 77)).toMatch(/CRC covers 4 bytes, more than the descriptor's 2/)
  })
})

describe('OSTA compressed Unicode and timestamps', () => {
  it('decodes 8-bit and 16-bit names, surrogate pairs included, and refuses malformed ones', () => {
    expect(decodeOstaString(view([8, 0x41, 0xc4, 0xf1]), 0, 4)).toBe('AÄñ')
    expect(decodeOstaString(view([16, 0x6f, 0x22, 0xd8, 0x3d, 0xde, 0x00]), 0, 7)).toBe('漢😀')
    expect(decodeOstaString(view([254, 0x61]), 0, 2)).toBe('a')
    expect(decodeOstaString(view([]), 0, 0)).toBe('')
    expect(() => decodeOstaString(view([16, 0x00, 0x41, 0x00]), 0, 4)).toThrow(/odd length/)
    expect(() => decodeOstaString(view([9, 0x41]), 0, 2)).toThrow(/compression ID 9/)
    expect(decodeDstring(view([8, 0x48, 0x69, 0, 0, 3]), 0, 6)).toBe('Hi')
    expect(() => decodeDstring(view([8, 0x48, 0x69, 9]), 0, 4)).toThrow(/claims 9 bytes/)
  })

  it('reads timestamps with their time zone, to the microsecond field, and null for impossible ones', () => {
    const stamp = (zone: number, fields: number[]) => bytesWith(12, (b) => {
      b.writeUInt16LE((1 << 12) | (zone & 0x0fff), 0)
      b.writeInt16LE(fields[0], 2)
      b.set(fields.slice(1), 4)
    })
    expect(parseTimestamp(view(stamp(120, [2024, 2, 29, 23, 30, 15, 12, 34, 56])), 0)).toEqual(new Date('2024-02-29T21:30:15.123Z'))
    expect(parseTimestamp(view(stamp(-300, [1999, 12, 31, 20, 0, 0, 0, 0, 0])), 0)).toEqual(new Date('2000-01-01T01:00:00Z'))
    expect(parseTimestamp(view(stamp(-2047, [2010, 6, 1, 0, 0, 0, 0, 0, 0])), 0)).toEqual(new Date('2010-06-01T00:00:00Z'))
    expect(parseTimestamp(view(stamp(0, [2010, 13, 1, 0, 0, 0, 0, 0, 0])), 0)).toBeNull()
    expect(parseTimestamp(view(new Uint8Array(12)), 0)).toBeNull()
  })
})

describe('allocation descriptors', () => {
  it('reads the short, long and extended forms with their extent kinds, stopping at a zero length', () => {
    const short = bytesWith(24, (b) => {
      b.writeUInt32LE(4096, 0)
      b.writeUInt32LE(10, 4)
      b.writeUInt32LE(((3 << 30) | 2048) >>> 0, 8)
      b.writeUInt32LE(99, 12)
    })
    expect(parseAllocationDescriptors(view(short), 0, 24, 'short')).toEqual([
      { kind: 'recorded', length: 4096, block: 10, partition: null },
      { kind: 'continuation', length: 2048, block: 99, partition: null },
    ])
    const long = bytesWith(16, (b) => {
      b.writeUInt32LE(((1 << 30) | 0x3ffff800) >>> 0, 0)
      b.writeUInt32LE(1234, 4)
      b.writeUInt16LE(1, 8)
    })
    expect(parseAllocationDescriptors(view(long), 0, 16, 'long')).toEqual([{ kind: 'allocated', length: 0x3ffff800, block: 1234, partition: 1 }])
    const extended = bytesWith(20, (b) => {
      b.writeUInt32LE(((2 << 30) | 6144) >>> 0, 0)
      b.writeUInt32LE(77, 12)
      b.writeUInt16LE(2, 16)
    })
    expect(parseAllocationDescriptors(view(extended), 0, 20, 'extended')).toEqual([{ kind: 'unallocated', length: 6144, block: 77, partition: 2 }])
    expect(() => parseAllocationDescriptors(view(short), 0, 20, 'short')).toThrow(/not a whole number of 8-byte descriptors/)
    expect(() => parseAllocationDescriptors(view(Buffer.alloc(16, 0x11)), 8, 16, 'short')).toThrow(expect.objectContaining({ code: 'CORRUPT' }))
  })
})

describe('ISO 9660 directory records', () => {
  it('reads the extent past the extended attribute record, the length, the flags and the zoned date', () => {
    const record = bytesWith(40, (b) => {
      b[0] = 40
      b[1] = 2
      b.writeUInt32LE(100, 2)
      b.writeUInt32LE(12345, 10)
      b.set([121, 6, 15, 14, 34, 56, 8], 18) // 2021-06-15 14:34:56 at GMT+2 (8 quarter hours)
      b[25] = 0x80
      b[32] = 5
      b.write('A.B;1', 33, 'latin1')
    })
    const parsed = parseDirectoryRecord(view(record, 'ISO 9660 directory record'))
    expect(parsed).toMatchObject({ extent: 102, dataLength: 12345, flags: 0x80, interleaved: false, recorded: new Date('2021-06-15T12:34:56Z') })
    expect(Buffer.from(parsed.identifier).toString('latin1')).toBe('A.B;1')
    expect(parsed.systemUse.length).toBe(2)
    record[32] = 30
    expect(() => parseDirectoryRecord(view(record, 'ISO 9660 directory record'))).toThrow(/30-byte name does not fit/)
  })
})

describe('El Torito boot catalog', () => {
  function catalog(): Buffer {
    const b = Buffer.alloc(2048)
    b[0] = 1
    b[30] = 0x55
    b[31] = 0xaa
    let sum = 0
    for (let i = 0; i < 32; i += 2) sum += b.readUInt16LE(i)
    b.writeUInt16LE((0x10000 - (sum & 0xffff)) & 0xffff, 28)
    b.set([0x88, 0, 0xc0, 0x07, 0, 0, 8, 0], 32)
    b.writeUInt32LE(40, 40)
    b.set([0x91, 0xef, 1, 0], 64)
    b.set([0x88, 0x20, 0, 0, 0, 0, 1, 0], 96)
    b.writeUInt32LE(50, 104)
    b[128] = 0x44
    return b
  }

  it('reads the default entry and a UEFI section entry followed by an extension', () => {
    expect(parseBootCatalog(view(catalog(), 'El Torito boot catalog'))).toEqual([
      { platform: 'bios', platformId: 0, bootable: true, emulation: 'none', loadSegment: 0x07c0, systemType: 0, sectorCount: 8, loadRba: 40 },
      { platform: 'uefi', platformId: 0xef, bootable: true, emulation: 'none', loadSegment: 0, systemType: 0, sectorCount: 1, loadRba: 50 },
    ])
  })

  it('refuses a bad validation checksum, boot indicator or media type', () => {
    const sum = catalog()
    sum[5] = 1
    expect(() => parseBootCatalog(view(sum))).toThrow(/words add up to/)
    const indicator = catalog()
    indicator[32] = 0x12
    expect(() => parseBootCatalog(view(indicator))).toThrow(/boot indicator is 0x12/)
    const media = catalog()
    media[97] = 0x27
    expect(() => parseBootCatalog(view(media))).toThrow(/media type 7/)
  })
})

describe('names and paths', () => {
  it('accepts ordinary Windows media names', () => {
    for (const name of ['install.wim', 'bootx64.efi', 'Ünïcödé 名前 ☃.txt', '.hidden', 'CONSOLE.txt', 'com10', 'a'.repeat(255), '😀']) {
      expect(unsafeWindowsNameReason(name), name).toBeNull()
    }
  })

  it('refuses names that escape or that Windows would reinterpret', () => {
    const refused: [string, RegExp][] = [
      ['', /empty/],
      ['.', /relative/],
      ['..', /relative/],
      ['a/b', /separator/],
      ['a\\b', /separator/],
      ['a\0b', /NUL/],
      ['tab\there', /control/],
      ['file:stream', /NTFS stream/],
      ['what?.txt', /does not allow/],
      ['name.', /dot or a space/],
      ['name ', /dot or a space/],
      ['CON', /device name CON/],
      ['nul.txt', /device name NUL/],
      ['Com1.log', /device name COM1/],
      ['lpt9', /device name LPT9/],
      ['CONIN$', /device name CONIN\$/],
      ['a'.repeat(256), /255/],
      ['\ud800x', /surrogate/],
    ]
    for (const [name, reason] of refused) expect(unsafeWindowsNameReason(name), JSON.stringify(name)).toMatch(reason)
  })

  it('folds case one character to one, as Windows does, and orders siblings by that', () => {
    expect(nameKey('ReadMe.txt')).toBe(nameKey('README.TXT'))
    expect(nameKey('straße')).not.toBe(nameKey('STRASSE'))
    expect(nameKey('Ünï')).toBe(nameKey('ÜNÏ'))
    expect(['b', 'A', 'a', 'B'].sort(compareNames)).toEqual(['A', 'a', 'B', 'b'])
  })

  it('splits paths on either separator and refuses dot segments', () => {
    expect(splitSourcePath('/sources\\install.wim/')).toEqual(['sources', 'install.wim'])
    expect(splitSourcePath('')).toEqual([])
    expect(() => splitSourcePath('a/../b')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => splitSourcePath('./a')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })
})
