import type { Drive } from '../../src/shared/drives'

/** A 16 GB USB stick as drives.list reports one; a test overrides what it is about. */
export function usbStick(overrides: Partial<Drive> = {}): Drive {
  return {
    id: '/dev/sdb',
    kind: 'disk',
    device: '/dev/sdb',
    description: 'SanDisk Ultra',
    sizeBytes: 16_008_609_792,
    bus: 'USB',
    isRemovable: true,
    isUSB: true,
    isReadOnly: false,
    isVirtual: false,
    isSystem: false,
    systemReason: null,
    partitionTable: 'mbr',
    volumes: [],
    exists: true,
    ...overrides,
  }
}
