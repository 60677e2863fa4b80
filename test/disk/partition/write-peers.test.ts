import { closeSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { planLayout, readPartitionTable, writePartitionTable, type DiskLayout, type GptLayout, type LayoutKind, type MbrLayout, type SectorSize } from '../../../src/main/disk/partition'
import { tempDir } from '../../support/temp'
import { missingTool } from '../../support/tools'
import { asDisk, isRoot, run, sfdiskAttributes, sfdiskJson, sgdiskInfo, sgdiskVerify, tableOnly } from './peers'

const GB = 1e9
const TB = 1e12

/** Every layout at both sector sizes, on disks from a USB stick to past 2^32 sectors. */
const CASES: { kind: LayoutKind; sizeBytes: number; sectorSize: SectorSize }[] = [
  { kind: 'uefi', sizeBytes: 64 * GB, sectorSize: 512 },
  { kind: 'uefi', sizeBytes: 4 * TB, sectorSize: 512 },
  { kind: 'uefi', sizeBytes: 256 * GB, sectorSize: 4096 },
  { kind: 'bios', sizeBytes: 32 * GB, sectorSize: 512 },
  { kind: 'bios', sizeBytes: 2 * TB, sectorSize: 512 },
  { kind: 'bios', sizeBytes: 256 * GB, sectorSize: 4096 },
  { kind: 'usb-uefi', sizeBytes: 8 * GB, sectorSize: 512 },
  { kind: 'usb-uefi', sizeBytes: 32 * GB, sectorSize: 4096 },
  { kind: 'usb-bios-uefi', sizeBytes: 16 * GB, sectorSize: 512 },
  { kind: 'usb-bios-uefi', sizeBytes: 8 * GB, sectorSize: 4096 },
]

const missingPeers = missingTool('sgdisk', 'gdisk') || missingTool('sfdisk', 'fdisk') || missingTool('losetup', 'mount')

describe.skipIf(missingPeers)('tables we write, read by sgdisk and sfdisk', () => {
  const dir = tempDir('imaging-partition-write-')

  async function written(layout: DiskLayout, name: string): Promise<string> {
    const path = join(dir, name)
    const target = await FileTarget.create(path, layout.diskSizeBytes)
    try {
      await writePartitionTable(target, layout)
      expect(tableOnly((await readPartitionTable(target, { sectorSize: layout.sectorSize }))!)).toEqual(tableOnly(layout))
    } finally {
      await target.close()
    }
    return path
  }

  for (const { kind, sizeBytes, sectorSize } of CASES) {
    const title = `${kind} on ${sizeBytes / GB} GB at ${sectorSize}-byte sectors`
    it.skipIf(sectorSize !== 512 && !isRoot())(title, async () => {
      const layout = planLayout(kind, sizeBytes, { sectorSize })
      const image = await written(layout, `${kind}-${sizeBytes}-${sectorSize}.img`)
      await asDisk(image, sectorSize, async (device) => {
        if (layout.table === 'gpt') expectGptPeersAgree(device, layout)
        else expectMbrPeersAgree(device, layout)
      })
    })
  }

  it('writes a protective MBR byte-identical to sgdisk’s, small disk to past 2^32 sectors', async () => {
    for (const sizeBytes of [300 * 1024 * 1024, 64 * GB, 3 * TB]) {
      const ours = await written(planLayout('usb-uefi', sizeBytes), `ours-${sizeBytes}.img`)
      const theirs = join(dir, `theirs-${sizeBytes}.img`)
      await (await FileTarget.create(theirs, sizeBytes)).close()
      run('sgdisk', ['-o', theirs])
      expect(sectorZero(ours).toString('hex')).toBe(sectorZero(theirs).toString('hex'))
    }
  })
})

function sectorZero(path: string): Buffer {
  const fd = openSync(path, 'r')
  const sector = Buffer.alloc(512)
  readSync(fd, sector, 0, 512, 0)
  closeSync(fd)
  return sector
}

function expectGptPeersAgree(device: string, layout: GptLayout): void {
  const report = sgdiskVerify(device)
  expect(report).toContain('No problems found')
  expect(report).not.toMatch(/Caution|Warning|Problem/)

  const table = sfdiskJson(device)
  expect(table).toMatchObject({ label: 'gpt', id: layout.diskGuid, sectorsize: layout.sectorSize, firstlba: layout.firstUsableLba, lastlba: layout.lastUsableLba })
  expect(table.partitions.map(({ node: _node, ...fields }) => fields)).toEqual(
    layout.partitions.map((p) => ({
      start: p.firstLba,
      size: p.sectorCount,
      type: p.typeGuid,
      uuid: p.uniqueGuid,
      name: p.name,
      ...(sfdiskAttributes(p.attributes) ? { attrs: sfdiskAttributes(p.attributes) } : {}),
    })),
  )
  for (const p of layout.partitions) {
    expect(sgdiskInfo(device, p.index)).toEqual({
      typeGuid: p.typeGuid,
      uniqueGuid: p.uniqueGuid,
      firstSector: p.firstLba,
      lastSector: p.firstLba + p.sectorCount - 1,
      attributes: p.attributes.toString(16).toUpperCase().padStart(16, '0'),
      name: p.name,
    })
  }
}

function expectMbrPeersAgree(device: string, layout: MbrLayout): void {
  expect(run('sfdisk', ['--verify', device])).toContain('No errors detected')
  const table = sfdiskJson(device)
  expect(table).toMatchObject({ label: 'dos', id: '0x' + layout.diskSignature.toString(16).padStart(8, '0'), sectorsize: layout.sectorSize })
  expect(table.partitions.map(({ node: _node, ...fields }) => fields)).toEqual(
    layout.partitions.map((p) => ({
      start: p.firstLba,
      size: p.sectorCount,
      type: p.type.toString(16),
      ...(p.active ? { bootable: true } : {}),
    })),
  )
}
