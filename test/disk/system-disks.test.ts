import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { listDisks, systemReason, type RawDrive } from '../../src/main/disk/list-disks'
import { linuxSystemDisks, parseMountinfo } from '../../src/main/disk/system-disks-linux'

const SAMPLE = [
  '22 27 0:21 / /proc rw,relatime - proc proc rw',
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '40 27 8:1 / /media/My\\040Stick rw - vfat /dev/sdb1 rw',
].join('\n')

function raw(device: string, mountpoints: string[] = [], isSystem = false): RawDrive {
  return {
    device,
    description: '',
    size: 1,
    busType: 'USB',
    isRemovable: true,
    isReadOnly: false,
    isSystem,
    isVirtual: false,
    isUSB: true,
    mountpoints: mountpoints.map((path) => ({ path, label: null })),
    partitionTableType: null,
  }
}

describe('system disk detection', () => {
  it('parses mountinfo, including escaped spaces', () => {
    const entries = parseMountinfo(SAMPLE)
    expect(entries).toContainEqual({ devNumber: '254:0', mountpoint: '/', source: '/dev/vda' })
    expect(entries).toContainEqual({ devNumber: '8:1', mountpoint: '/media/My Stick', source: '/dev/sdb1' })
  })

  it('flags a disk holding a system mount point even when /sys says nothing', () => {
    expect(systemReason(raw('/dev/sdc', ['/boot/efi']), 'linux', new Map())).toBe('mounted at /boot/efi')
    expect(systemReason(raw('/dev/sdc', ['/media/stick']), 'linux', new Map())).toBeNull()
    expect(systemReason(raw('/dev/sdc'), 'linux', new Map([['sdc', 'active swap']]))).toBe('active swap')
  })

  it('trusts the OS on Windows and macOS', () => {
    expect(systemReason(raw('\\\\.\\PhysicalDrive0', [], true), 'win32', new Map())).toMatch(/operating system/)
    expect(systemReason(raw('/dev/disk4', [], false), 'darwin', new Map())).toBeNull()
  })

  const rootSource = process.platform === 'linux' ? parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')).find((e) => e.mountpoint === '/') : undefined
  it.skipIf(!rootSource?.source.startsWith('/dev/'))('finds the disk this machine runs from and lists it as the system disk', async () => {
    const system = linuxSystemDisks()
    expect([...system.values()]).toContain('mounted at /')
    const disks = await listDisks()
    const systemDisks = disks.filter((d) => d.isSystem)
    expect(systemDisks.length).toBeGreaterThan(0)
    expect(systemDisks.some((d) => d.systemReason === 'mounted at /')).toBe(true)
    for (const d of disks) expect(d.sizeBytes).toBeGreaterThan(0)
  })
})
