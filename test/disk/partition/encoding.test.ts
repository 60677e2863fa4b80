import { describe, expect, it } from 'vitest'
import { encodeChs } from '../../../src/main/disk/partition/chs'
import { readGuid, writeGuid } from '../../../src/main/disk/partition/guid'

describe('on-disk encodings', () => {
  it('stores a GUID mixed-endian, as the UEFI specification shows for the EFI System type', () => {
    const bytes = new Uint8Array(20)
    writeGuid(bytes, 2, 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b')
    expect(Buffer.from(bytes.subarray(2, 18)).toString('hex')).toBe('28732ac11ff8d211ba4b00a0c93ec93b')
    expect(readGuid(bytes, 2)).toBe('C12A7328-F81F-11D2-BA4B-00A0C93EC93B')
  })

  it('encodes CHS as fdisk does, and 1023/254/63 past the reach of CHS', () => {
    const hex = (lba: number): string => Buffer.from(encodeChs(lba)).toString('hex')
    // Values sfdisk wrote for these LBAs on an image file.
    expect(hex(2048)).toBe('202100')
    expect(hex(1026047)).toBe('dd1e3f')
    expect(hex(1024 * 255 * 63 - 1)).toBe('feffff')
    expect(hex(1024 * 255 * 63)).toBe('feffff')
    expect(hex(5e9)).toBe('feffff')
  })
})
