import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { readPartitionTable, type DiskLayout, type ReadTableOptions } from '../../../src/main/disk/partition'
import { tempDir } from '../../support/temp'
import { missingTool } from '../../support/tools'
import { asDisk, isRoot, run } from './peers'

const MiB = 1024 * 1024
const DISK_GUID = '6F1B0D3A-9C2E-4E55-8A1D-2B7C4E9F0A11'
const ESP_GUID = '0A8E3C55-1D2F-4B6A-9E7D-5C4B3A291807'
const LINUX_GUID = 'B7D6E5F4-A3B2-4C1D-8E0F-112233445566'
const DATA_GUID = '11223344-5566-4778-899A-ABBCCDDEEFF0'

const missingPeers = missingTool('sgdisk', 'gdisk') || missingTool('sfdisk', 'fdisk') || missingTool('losetup', 'mount')

describe.skipIf(missingPeers)('tables sgdisk and sfdisk write, read by us', () => {
  const dir = tempDir('imaging-partition-read-')

  async function image(name: string, sizeBytes: number): Promise<string> {
    const path = join(dir, name)
    await (await FileTarget.create(path, sizeBytes)).close()
    return path
  }

  async function read(path: string, options?: ReadTableOptions): Promise<DiskLayout | null> {
    const target = await FileTarget.openExisting(path, { writable: false })
    try {
      return await readPartitionTable(target, options)
    } finally {
      await target.close()
    }
  }

  it('reads an sgdisk GPT: slots with gaps, UTF-16 names, attributes, given GUIDs', async () => {
    const path = await image('sgdisk.img', 1024 * MiB)
    run('sgdisk', [
      '-o',
      `-U${DISK_GUID}`,
      '-n1:2048:+100M', '-t1:EF00', '-c1:EFI', `-u1:${ESP_GUID}`,
      '-n3:0:+50M', '-t3:8300', '-c3:Données ü', `-u3:${LINUX_GUID}`, '-A3:set:2',
      '-n5:0:0', '-t5:0700', '-c5:Data', `-u5:${DATA_GUID}`, '-A5:set:60', '-A5:set:63',
      path,
    ])
    expect(await read(path)).toEqual({
      table: 'gpt',
      sectorSize: 512,
      diskSizeBytes: 1024 * MiB,
      diskGuid: DISK_GUID,
      firstUsableLba: 34,
      lastUsableLba: 2097118,
      partitions: [
        { index: 1, typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', uniqueGuid: ESP_GUID, firstLba: 2048, sectorCount: 204800, attributes: 0n, name: 'EFI', role: 'esp' },
        { index: 3, typeGuid: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', uniqueGuid: LINUX_GUID, firstLba: 206848, sectorCount: 102400, attributes: 4n, name: 'Données ü' },
        {
          index: 5,
          typeGuid: 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7',
          uniqueGuid: DATA_GUID,
          firstLba: 309248,
          sectorCount: 2097118 - 309248 + 1,
          attributes: (1n << 60n) | (1n << 63n),
          name: 'Data',
        },
      ],
    })
  })

  it('reads an sfdisk GPT with a Windows RE partition past 2^32 sectors', async () => {
    const path = await image('sfdisk-gpt.img', 3 * 1024 ** 4)
    run(
      'sfdisk',
      [path],
      [
        'label: gpt',
        `label-id: ${DISK_GUID}`,
        `start=2048, size=532480, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=${ESP_GUID}, name="EFI system partition"`,
        `start=5000000000, size=2097152, type=DE94BBA4-06D1-4D40-A16A-BFD50179D6AC, uuid=${DATA_GUID}, name="Recovery", attrs="RequiredPartition GUID:63"`,
        '',
      ].join('\n'),
    )
    const layout = await read(path)
    expect(layout).toMatchObject({ table: 'gpt', diskGuid: DISK_GUID, lastUsableLba: (3 * 1024 ** 4) / 512 - 34 })
    expect(layout?.partitions).toEqual([
      { index: 1, typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', uniqueGuid: ESP_GUID, firstLba: 2048, sectorCount: 532480, attributes: 0n, name: 'EFI system partition', role: 'esp' },
      {
        index: 2,
        typeGuid: 'DE94BBA4-06D1-4D40-A16A-BFD50179D6AC',
        uniqueGuid: DATA_GUID,
        firstLba: 5000000000,
        sectorCount: 2097152,
        attributes: 0x8000000000000001n,
        name: 'Recovery',
        role: 'recovery',
      },
    ])
  })

  it('reads an sfdisk MBR: signature, active flag, types, an extended partition as one entry', async () => {
    const path = await image('sfdisk-mbr.img', 2048 * MiB)
    run(
      'sfdisk',
      [path],
      ['label: dos', 'label-id: 0x5eed1234', 'start=2048, size=1024000, type=7, bootable', 'start=1026048, size=2048000, type=c', 'start=3074048, type=5', 'start=3076096, size=20480, type=83', ''].join('\n'),
    )
    expect(await read(path)).toEqual({
      table: 'mbr',
      sectorSize: 512,
      diskSizeBytes: 2048 * MiB,
      diskSignature: 0x5eed1234,
      partitions: [
        { index: 1, firstLba: 2048, sectorCount: 1024000, type: 0x07, active: true },
        { index: 2, firstLba: 1026048, sectorCount: 2048000, type: 0x0c, active: false },
        { index: 3, firstLba: 3074048, sectorCount: 4194304 - 3074048, type: 0x05, active: false },
      ],
    })
  })

  it.skipIf(!isRoot())('finds a 4K-sector GPT without being told the sector size', async () => {
    const path = await image('sgdisk-4k.img', 512 * MiB)
    await asDisk(path, 4096, async (device) => {
      run('sgdisk', ['-o', `-U${DISK_GUID}`, '-n1:256:+260M', '-t1:EF00', `-u1:${ESP_GUID}`, '-c1:EFI', device])
    })
    expect(await read(path)).toEqual({
      table: 'gpt',
      sectorSize: 4096,
      diskSizeBytes: 512 * MiB,
      diskGuid: DISK_GUID,
      firstUsableLba: 6,
      lastUsableLba: 131072 - 6,
      partitions: [{ index: 1, typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', uniqueGuid: ESP_GUID, firstLba: 256, sectorCount: 66560, attributes: 0n, name: 'EFI', role: 'esp' }],
    })
  })

  it.skipIf(!isRoot())('reads a 4K-sector MBR when told the sector size (an MBR does not record it)', async () => {
    const path = await image('sfdisk-4k.img', 512 * MiB)
    await asDisk(path, 4096, async (device) => {
      run('sfdisk', [device], ['label: dos', 'label-id: 0x0badcafe', 'start=256, size=100000, type=c, bootable', ''].join('\n'))
    })
    expect(await read(path, { sectorSize: 4096 })).toEqual({
      table: 'mbr',
      sectorSize: 4096,
      diskSizeBytes: 512 * MiB,
      diskSignature: 0x0badcafe,
      partitions: [{ index: 1, firstLba: 256, sectorCount: 100000, type: 0x0c, active: true }],
    })
  })

  it.skipIf(missingTool('mkfs.fat', 'dosfstools'))('sees no table on a blank disk, a tiny file, or a file system written to the whole disk', async () => {
    expect(await read(await image('blank.img', 64 * MiB))).toBeNull()
    const tiny = join(dir, 'tiny.img')
    writeFileSync(tiny, new Uint8Array(100))
    expect(await read(tiny)).toBeNull()
    const superfloppy = await image('superfloppy.img', 64 * MiB)
    run('mkfs.fat', ['-F', '32', superfloppy])
    expect(await read(superfloppy)).toBeNull()
  })
})
