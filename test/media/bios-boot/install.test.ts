import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { planLayout, writePartitionTable, type DiskLayout, type MbrLayout } from '../../../src/main/disk/partition'
import { checkBiosBoot, MAX_BOOTMGR_BYTES, writeBiosLoader, type BiosBootCode, type BiosBootReport } from '../../../src/main/media/bios-boot'
import { sfdiskJson } from '../../disk/partition/peers'
import { expectClean, mcopyAll } from '../../fs/fat32/fixtures'
import { missingTool } from '../../support/tools'
import { tempDir } from '../../support/temp'
import { buildMedium, bundledCode, DISK_BYTES, MiB } from './fixtures'

const BOOTMGR = new Uint8Array(64 * 1024).map((_, i) => (i * 7) & 0xff)

async function check(image: string, code: BiosBootCode): Promise<BiosBootReport> {
  const target = await FileTarget.openExisting(image, { writable: false })
  try {
    return await checkBiosBoot(target, code)
  } finally {
    await target.close()
  }
}

function patch(image: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(image, 'r+')
  try {
    writeSync(fd, bytes, 0, bytes.length, offset)
  } finally {
    closeSync(fd)
  }
}

describe('writeBiosLoader', () => {
  const dir = tempDir('bios-boot-install-')
  let code: BiosBootCode
  beforeAll(async () => {
    code = await bundledCode()
  })

  it('writes core.img at LBA 1 and nothing else', async () => {
    const image = join(dir, 'only-gap.img')
    const layout = planLayout('usb-bios-uefi', DISK_BYTES)
    const target = await FileTarget.create(image, DISK_BYTES)
    try {
      await writePartitionTable(target, layout, { bootCode: code.mbrCode })
      const before = new Uint8Array(2 * MiB)
      await target.read(before, 0)
      await writeBiosLoader(target, layout, code)
      const after = new Uint8Array(2 * MiB)
      await target.read(after, 0)
      const expected = before.slice()
      expected.set(code.loader, 512)
      expect(Buffer.compare(after, expected)).toBe(0)
      expect(after.subarray(0, 440)).toEqual(code.mbrCode)
    } finally {
      await target.close()
    }
  })

  describe('refuses, writing nothing, a layout GRUB could not boot', () => {
    const refused = async (name: string, layout: DiskLayout) => {
      const image = join(dir, `${name}.img`)
      const target = await FileTarget.create(image, DISK_BYTES)
      try {
        const error = await writeBiosLoader(target, layout, code).catch((e: unknown) => e)
        const head = new Uint8Array(MiB)
        await target.read(head, 0)
        expect(head.every((b) => b === 0)).toBe(true)
        return error
      } finally {
        await target.close()
      }
    }
    const usb = () => planLayout('usb-bios-uefi', DISK_BYTES) as MbrLayout
    const withPartition = (change: Partial<MbrLayout['partitions'][number]>): MbrLayout => {
      const layout = usb()
      return { ...layout, partitions: [{ ...layout.partitions[0], ...change }] }
    }

    it('a GPT layout', async () => {
      expect(await refused('gpt', planLayout('usb-uefi', DISK_BYTES))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('needs an MBR') })
    })
    it('4K sectors', async () => {
      expect(await refused('4k', planLayout('usb-bios-uefi', DISK_BYTES, { sectorSize: 4096 }))).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringContaining('512-byte sectors') })
    })
    it('no active partition', async () => {
      expect(await refused('inactive', withPartition({ active: false }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('exactly one active partition') })
    })
    it('an active partition other than the first entry', async () => {
      expect(await refused('entry-2', withPartition({ index: 2 }))).toMatchObject({ message: expect.stringContaining('entry 2') })
    })
    it('an active partition that is not FAT32', async () => {
      expect(await refused('ntfs', withPartition({ type: 0x07 }))).toMatchObject({ message: expect.stringContaining('type 0x07') })
    })
    it('a partition starting inside the loader (the old 63-sector alignment)', async () => {
      const sectors = code.loader.length / 512
      expect(await refused('lba-63', withPartition({ firstLba: 63 }))).toMatchObject({ message: expect.stringContaining(`LBA 1..${sectors} free, and a partition starts at LBA 63`) })
    })
  })
})

describe('checkBiosBoot', () => {
  const dir = tempDir('bios-boot-check-')
  let code: BiosBootCode
  beforeAll(async () => {
    code = await bundledCode()
  })

  it('passes a complete medium', async () => {
    const medium = await buildMedium(join(dir, 'complete.img'), code, { bootmgr: BOOTMGR })
    expect(await check(medium.image, code)).toEqual({ bootable: true, problems: [] })
  })

  it('reports a medium made without boot code: the MBR code and the loader, at their offsets', async () => {
    const medium = await buildMedium(join(dir, 'no-code.img'), undefined, { bootmgr: BOOTMGR })
    const report = await check(medium.image, code)
    expect(report.bootable).toBe(false)
    expect(report.problems.map((p) => [p.structure, p.offset])).toEqual([
      ['MBR boot code', 0],
      ['boot loader', 512],
    ])
    expect(report.problems[0].message).toContain(`not GRUB ${code.grubVersion}'s boot.img`)
  })

  it('finds the first changed byte of a damaged loader', async () => {
    const medium = await buildMedium(join(dir, 'damaged.img'), code, { bootmgr: BOOTMGR })
    patch(medium.image, 512 + 12_345, Uint8Array.of(code.loader[12_345] ^ 0x01))
    expect((await check(medium.image, code)).problems).toEqual([expect.objectContaining({ structure: 'boot loader', offset: 512 + 12_345 })])
  })

  it('reports a missing, empty, oversized or misplaced /bootmgr', async () => {
    const cases: Array<[string, Record<string, Uint8Array>, RegExp]> = [
      ['missing', { 'sources/boot.wim': BOOTMGR }, /no "\/bootmgr" on the volume/],
      ['empty', { bootmgr: new Uint8Array(0) }, /is empty/],
      ['oversized', { bootmgr: new Uint8Array(MAX_BOOTMGR_BYTES + 1) }, /is 524289 bytes; a BIOS loads at most 524288/],
      ['directory', { 'bootmgr/file': BOOTMGR }, /is a directory/],
    ]
    for (const [name, files, message] of cases) {
      const medium = await buildMedium(join(dir, `bootmgr-${name}.img`), code, files)
      const report = await check(medium.image, code)
      expect(report.problems, name).toEqual([expect.objectContaining({ structure: '/bootmgr', message: expect.stringMatching(message) })])
    }
  })

  it('reports a volume that is not FAT32 at the partition', async () => {
    const medium = await buildMedium(join(dir, 'no-volume.img'), code, { bootmgr: BOOTMGR })
    patch(medium.image, medium.offset, new Uint8Array(512))
    expect((await check(medium.image, code)).problems).toEqual([expect.objectContaining({ structure: 'FAT32 volume', offset: medium.offset })])
  })

  it('reports a blank disk and a GPT disk', async () => {
    const blank = join(dir, 'blank.img')
    await (await FileTarget.create(blank, DISK_BYTES)).close()
    const blankReport = await check(blank, code)
    expect(blankReport.problems.map((p) => p.structure)).toEqual(['partition table', 'MBR boot code', 'boot loader'])
    expect(blankReport.problems[0].message).toContain('has no partition table')

    const gpt = join(dir, 'gpt.img')
    const target = await FileTarget.create(gpt, DISK_BYTES)
    await writePartitionTable(target, planLayout('usb-uefi', DISK_BYTES))
    await target.close()
    expect((await check(gpt, code)).problems[0]).toMatchObject({ structure: 'partition table', message: expect.stringContaining('this layout is GPT') })
  })
})

describe.skipIf(missingTool('sfdisk', 'fdisk') || missingTool('fsck.fat', 'dosfstools') || missingTool('mcopy', 'mtools'))('a medium with the BIOS chain, read by the peers', () => {
  const dir = tempDir('bios-boot-peers-')

  it('has the table sfdisk expects, a clean FAT32 volume and /bootmgr intact', async () => {
    const medium = await buildMedium(join(dir, 'disk.img'), await bundledCode(), { bootmgr: BOOTMGR, 'efi/boot/bootx64.efi': BOOTMGR.subarray(0, 1000) })
    const table = sfdiskJson(medium.image)
    expect(table.label).toBe('dos')
    expect(table.partitions).toEqual([expect.objectContaining({ start: medium.partition.firstLba, size: medium.partition.sectorCount, type: 'c', bootable: true })])

    await expectClean({ image: medium.image, offset: medium.offset, plan: medium.plan })
    const copied = join(dir, 'copied')
    mkdirSync(copied)
    await mcopyAll(medium, copied)
    expect(new Uint8Array(readFileSync(join(copied, 'bootmgr')))).toEqual(BOOTMGR)
  })
})
