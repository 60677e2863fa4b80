import { describe, expect, it } from 'vitest'
import { planLayout, type DiskLayout, type LayoutKind, type SectorSize } from '../../../src/main/disk/partition'

const GB = 1e9
const TB = 1e12
const MiB = 1024 * 1024
const GiB = 1024 * MiB
const KINDS: LayoutKind[] = ['uefi', 'bios', 'usb-uefi', 'usb-bios-uefi']
const V4_GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/

function validationOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a VALIDATION error')
}

function bytes(layout: DiskLayout): { start: number; size: number }[] {
  return layout.partitions.map((p) => ({ start: p.firstLba * layout.sectorSize, size: p.sectorCount * layout.sectorSize }))
}

/** Where a table lets partitions end: before the backup GPT, or at the MBR's 2^32 sectors. */
function usableEndBytes(layout: DiskLayout): number {
  return layout.table === 'gpt' ? (layout.lastUsableLba + 1) * layout.sectorSize : Math.min(layout.diskSizeBytes, 2 ** 32 * layout.sectorSize)
}

describe('planLayout', () => {
  for (const sectorSize of [512, 4096] as SectorSize[]) {
    for (const kind of KINDS) {
      for (const size of [8 * GB, 32 * GB, 256 * GB, 2 * TB]) {
        if ((kind === 'uefi' || kind === 'bios') && size < 17 * GiB) continue
        it(`lays out ${kind} on ${size / GB} GB at ${sectorSize}-byte sectors: aligned, contiguous, inside the table`, () => {
          const layout = planLayout(kind, size, { sectorSize })
          const extents = bytes(layout)
          expect(extents[0].start).toBe(MiB)
          for (const [i, { start, size: length }] of extents.entries()) {
            expect(start % MiB).toBe(0)
            expect(length % MiB).toBe(0)
            if (i > 0) expect(start).toBe(extents[i - 1].start + extents[i - 1].size)
          }
          const end = extents.at(-1)!.start + extents.at(-1)!.size
          expect(end).toBeLessThanOrEqual(usableEndBytes(layout))
          expect(usableEndBytes(layout) - end).toBeLessThan(MiB)
          expect(layout.partitions.map((p) => p.index)).toEqual(extents.map((_, i) => i + 1))
          expect(layout).toMatchObject({ kind, sectorSize, diskSizeBytes: size })
        })
      }
    }
  }

  it('makes the UEFI layout Microsoft documents: ESP, MSR, Windows, Recovery at the end', () => {
    const layout = planLayout('uefi', 256 * GB)
    if (layout.table !== 'gpt') throw new Error('uefi must be GPT')
    expect(layout.partitions.map(({ role, fileSystem, typeGuid, name, attributes }) => ({ role, fileSystem, typeGuid, name, attributes }))).toEqual([
      { role: 'esp', fileSystem: 'fat32', typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', name: 'EFI system partition', attributes: 0n },
      { role: 'msr', fileSystem: 'none', typeGuid: 'E3C9E316-0B5C-4DB8-817D-F92DF00215AE', name: 'Microsoft reserved partition', attributes: 0n },
      { role: 'windows', fileSystem: 'ntfs', typeGuid: 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7', name: 'Windows', attributes: 0n },
      { role: 'recovery', fileSystem: 'ntfs', typeGuid: 'DE94BBA4-06D1-4D40-A16A-BFD50179D6AC', name: 'Recovery', attributes: 0x8000000000000001n },
    ])
    expect(bytes(layout).map((e) => e.size)).toEqual([260 * MiB, 16 * MiB, expect.any(Number), GiB])
    expect(layout).toMatchObject({ firstUsableLba: 34, lastUsableLba: (256 * GB) / 512 - 34 })
    expect(layout.diskGuid).toMatch(V4_GUID)
    const guids = [layout.diskGuid, ...layout.partitions.map((p) => p.uniqueGuid)]
    guids.forEach((guid) => expect(guid).toMatch(V4_GUID))
    expect(new Set(guids).size).toBe(5)
    expect(planLayout('uefi', 256 * GB)).not.toMatchObject({ diskGuid: layout.diskGuid })
  })

  it('makes the BIOS layout: active System Reserved, Windows, Recovery (0x27) at the end', () => {
    const layout = planLayout('bios', 256 * GB)
    if (layout.table !== 'mbr') throw new Error('bios must be MBR')
    expect(layout.partitions.map(({ role, fileSystem, type, active }) => ({ role, fileSystem, type, active }))).toEqual([
      { role: 'system', fileSystem: 'ntfs', type: 0x07, active: true },
      { role: 'windows', fileSystem: 'ntfs', type: 0x07, active: false },
      { role: 'recovery', fileSystem: 'ntfs', type: 0x27, active: false },
    ])
    expect(bytes(layout).map((e) => e.size)).toEqual([500 * MiB, expect.any(Number), GiB])
    expect(layout.diskSignature).toBeGreaterThan(0)
    expect(layout.diskSignature).toBeLessThan(2 ** 32)
  })

  it('makes the USB layouts: one FAT32 partition, named on GPT, active FAT32-LBA on MBR', () => {
    expect(planLayout('usb-uefi', 32 * GB).partitions).toEqual([
      expect.objectContaining({ role: 'data', fileSystem: 'fat32', typeGuid: 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7', name: 'IMAGING', attributes: 0n }),
    ])
    expect(planLayout('usb-uefi', 32 * GB, { label: 'Windows 11 24H2 – Setup' }).partitions[0]).toMatchObject({ name: 'Windows 11 24H2 – Setup' })
    expect(planLayout('usb-bios-uefi', 32 * GB).partitions).toEqual([expect.objectContaining({ role: 'data', fileSystem: 'fat32', type: 0x0c, active: true })])
  })

  it('counts in the sector size it is given', () => {
    const layout = planLayout('uefi', 256 * GB, { sectorSize: 4096 })
    expect(layout.partitions.slice(0, 2).map((p) => [p.firstLba, p.sectorCount])).toEqual([
      [256, (260 * MiB) / 4096],
      [256 + (260 * MiB) / 4096, (16 * MiB) / 4096],
    ])
    expect(layout).toMatchObject({ firstUsableLba: 6, lastUsableLba: (256 * GB) / 4096 - 6 })
  })

  it('refuses a disk too small, naming the minimum, and accepts exactly the minimum', () => {
    for (const sectorSize of [512, 4096] as SectorSize[]) {
      for (const kind of KINDS) {
        const tooSmall = validationOf(() => planLayout(kind, 100 * MiB, { sectorSize })) as { code: string; details: { minimumBytes: number }; message: string }
        expect(tooSmall).toMatchObject({ code: 'VALIDATION', details: { kind, minimumBytes: expect.any(Number) } })
        expect(tooSmall.message).toMatch(/too small .* needs at least/)
        const minimum = tooSmall.details.minimumBytes
        expect(planLayout(kind, minimum, { sectorSize }).partitions.length).toBeGreaterThan(0)
        expect(validationOf(() => planLayout(kind, minimum - sectorSize, { sectorSize }))).toMatchObject({ code: 'VALIDATION', details: { minimumBytes: minimum } })
      }
    }
    expect(validationOf(() => planLayout('uefi', 8 * GB))).toMatchObject({ details: { minimumBytes: 1 * MiB + 260 * MiB + 16 * MiB + 16 * GiB + GiB + 33 * 512 } })
  })

  it('keeps an MBR layout within 2^32 sectors on a larger disk, leaving the rest unallocated', () => {
    const layout = planLayout('bios', 3 * TB)
    const last = layout.partitions.at(-1)!
    expect(last.firstLba + last.sectorCount).toBe(2 ** 32)
    expect(last.role).toBe('recovery')
    const at4k = planLayout('usb-bios-uefi', 3 * TB, { sectorSize: 4096 })
    expect((at4k.partitions[0].firstLba + at4k.partitions[0].sectorCount) * 4096).toBe(Math.floor((3 * TB) / MiB) * MiB)
  })

  it('keeps a USB FAT32 partition within FAT32’s 2^32 - 1 sectors', () => {
    const data = planLayout('usb-uefi', 4 * TB).partitions[0]
    expect(data.sectorCount).toBeLessThanOrEqual(2 ** 32 - 1)
    expect(data.sectorCount).toBeGreaterThan(2 ** 32 - 1 - MiB / 512)
  })

  it('refuses bad options with VALIDATION', () => {
    expect(validationOf(() => planLayout('usb-uefi', 32 * GB, { label: 'x'.repeat(37) }))).toMatchObject({ code: 'VALIDATION', details: { field: 'label' } })
    expect(planLayout('usb-uefi', 32 * GB, { label: 'x'.repeat(36) }).partitions[0]).toMatchObject({ name: 'x'.repeat(36) })
    expect(validationOf(() => planLayout('bios', 32 * GB, { label: 'BOOT' }))).toMatchObject({ code: 'VALIDATION', details: { field: 'label' } })
    expect(validationOf(() => planLayout('uefi', 32.5, {}))).toMatchObject({ code: 'VALIDATION', details: { field: 'diskSizeBytes' } })
    expect(validationOf(() => planLayout('uefi', 32 * GB, { sectorSize: 1024 as SectorSize }))).toMatchObject({ code: 'VALIDATION', details: { field: 'sectorSize' } })
    expect(validationOf(() => planLayout('gpt' as LayoutKind, 32 * GB))).toMatchObject({ code: 'VALIDATION', details: { field: 'kind' } })
  })
})
