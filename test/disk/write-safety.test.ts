import { describe, expect, it } from 'vitest'
import type { DriveIdentity } from '../../src/shared/drives'
import { assertSameDrive, assertTypedConfirmation, assertWritable, identityDifferences, typedConfirmationFor } from '../../src/main/disk/write-safety'
import { usbStick as disk } from '../support/drives'

const identity: DriveIdentity = {
  id: '/dev/sdb',
  kind: 'disk',
  device: '/dev/sdb',
  sizeBytes: 16_008_609_792,
  description: 'SanDisk Ultra',
  serial: '4C530001',
  isRemovable: true,
  fingerprint: { 'device number': '8:16', 'disk sequence number': '12' },
}

describe('write safety rules', () => {
  it('refuses the system disk, saying why, and a read-only drive', () => {
    expect(() => assertWritable(disk({ isSystem: true, systemReason: 'mounted at /' }))).toThrow(
      expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/disk this computer runs from \(mounted at \/\): it is never written/) }),
    )
    expect(() => assertWritable(disk({ isReadOnly: true }))).toThrow(expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/read-only/) }))
    expect(() => assertWritable(disk())).not.toThrow()
  })

  it('asks a fixed disk, and only a fixed disk, for its name typed', () => {
    expect(typedConfirmationFor(disk())).toBeNull()
    expect(typedConfirmationFor(disk({ isRemovable: false }))).toBe('sdb')
    expect(typedConfirmationFor(disk({ isRemovable: false, device: '\\\\.\\PhysicalDrive2' }))).toBe('PhysicalDrive2')
    expect(typedConfirmationFor(disk({ isRemovable: false, device: '/dev/disk4' }))).toBe('disk4')
    expect(typedConfirmationFor({ ...disk({ isRemovable: false }), kind: 'image-file', device: '/tmp/a.img' })).toBeNull()
    const fixed = disk({ isRemovable: false })
    expect(() => assertTypedConfirmation(fixed, 'sdb', undefined)).toThrow(expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/type its name "sdb"/) }))
    expect(() => assertTypedConfirmation(fixed, 'sdb', 'sda')).toThrow(/you typed "sda"/)
    expect(() => assertTypedConfirmation(fixed, 'sdb', ' sdb ')).not.toThrow()
    expect(() => assertTypedConfirmation(disk(), null, undefined)).not.toThrow()
  })

  it('passes the same drive and refuses a swapped one, naming every difference in words', () => {
    expect(() => assertSameDrive(identity, { ...identity, fingerprint: { ...identity.fingerprint } })).not.toThrow()
    const swapped: DriveIdentity = { ...identity, sizeBytes: 32_017_219_584, description: 'Kingston DataTraveler', serial: null, fingerprint: { ...identity.fingerprint, 'disk sequence number': '13' } }
    expect(identityDifferences(identity, swapped)).toEqual([
      'size was 14.9 GiB (16008609792 bytes), now 29.8 GiB (32017219584 bytes)',
      'model was SanDisk Ultra, now Kingston DataTraveler',
      'serial number was 4C530001, now unknown',
      'disk sequence number was 12, now 13',
    ])
    expect(() => assertSameDrive(identity, swapped)).toThrow(
      expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/^\/dev\/sdb is not the drive you confirmed \(size was .*Was the stick swapped\? Nothing was written/) }),
    )
    // A replugged stick: same everything but the kernel's sequence number.
    expect(() => assertSameDrive(identity, { ...identity, fingerprint: { ...identity.fingerprint, 'disk sequence number': '14' } })).toThrow(/disk sequence number was 12, now 14/)
  })

  it('refuses a drive that is gone', () => {
    expect(() => assertSameDrive(identity, null)).toThrow(expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/no longer there \(unplugged\?\)/) }))
  })
})
