import { describe, expect, it } from 'vitest'
import { describeLayout, planLayout, type GptLayout, type MbrLayout } from '../../../src/main/disk/partition'

const GB = 1e9
const MiB = 1024 * 1024

describe('describeLayout', () => {
  it('describes the planned UEFI layout as the erase confirmation shows it', () => {
    const layout = planLayout('uefi', 256 * GB) as GptLayout
    const rows = describeLayout(layout)
    expect(rows.map(({ typeCode: _t, ...row }) => row)).toEqual([
      { index: 1, name: 'EFI system partition', role: 'esp', startBytes: MiB, sizeBytes: 260 * MiB, typeLabel: 'EFI System', fileSystem: 'fat32', flags: [] },
      { index: 2, name: 'Microsoft reserved partition', role: 'msr', startBytes: 261 * MiB, sizeBytes: 16 * MiB, typeLabel: 'Microsoft reserved', fileSystem: 'none', flags: [] },
      {
        index: 3,
        name: 'Windows',
        role: 'windows',
        startBytes: 277 * MiB,
        sizeBytes: layout.partitions[2].sectorCount * 512,
        typeLabel: 'Basic data',
        fileSystem: 'ntfs',
        flags: [],
      },
      {
        index: 4,
        name: 'Recovery',
        role: 'recovery',
        startBytes: layout.partitions[3].firstLba * 512,
        sizeBytes: 1024 * MiB,
        typeLabel: 'Windows RE',
        fileSystem: 'ntfs',
        flags: ['required', 'no drive letter'],
      },
    ])
    expect(rows[3].typeCode).toBe('DE94BBA4-06D1-4D40-A16A-BFD50179D6AC')
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows)
  })

  it('describes MBR layouts with type bytes and the active flag', () => {
    expect(describeLayout(planLayout('bios', 64 * GB)).map((r) => [r.name, r.typeLabel, r.typeCode, r.flags])).toEqual([
      ['System Reserved', 'NTFS/exFAT', '0x07', ['active']],
      ['Windows', 'NTFS/exFAT', '0x07', []],
      ['Recovery', 'Windows RE', '0x27', []],
    ])
    expect(describeLayout(planLayout('usb-bios-uefi', 16 * GB, { sectorSize: 4096 }))).toEqual([
      { index: 1, name: 'Data', role: 'data', startBytes: MiB, sizeBytes: expect.any(Number), typeLabel: 'FAT32 (LBA)', typeCode: '0x0C', fileSystem: 'fat32', flags: ['active'] },
    ])
  })

  it('describes what it does not know plainly, in disk order whatever the slots', () => {
    const gpt: GptLayout = {
      table: 'gpt',
      sectorSize: 512,
      diskSizeBytes: 8 * GB,
      diskGuid: '6F1B0D3A-9C2E-4E55-8A1D-2B7C4E9F0A11',
      firstUsableLba: 34,
      lastUsableLba: 8e9 / 512 - 34,
      partitions: [
        { index: 7, typeGuid: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', uniqueGuid: '11111111-2222-4333-8444-555555555555', firstLba: 4096, sectorCount: 2048, name: '', attributes: (1n << 2n) | (1n << 50n) },
        { index: 2, typeGuid: '01234567-89AB-4CDE-8F01-23456789ABCD', uniqueGuid: '21111111-2222-4333-8444-555555555555', firstLba: 2048, sectorCount: 2048, name: 'vendor', attributes: 1n << 62n },
      ],
    }
    expect(describeLayout(gpt).map((r) => [r.index, r.name, r.role, r.typeLabel, r.flags, r.fileSystem])).toEqual([
      [2, 'vendor', null, 'Unknown (01234567-89AB-4CDE-8F01-23456789ABCD)', ['bit 62'], null],
      [7, '', null, 'Linux filesystem', ['legacy BIOS bootable', 'bit 50'], null],
    ])
    const mbr: MbrLayout = { table: 'mbr', sectorSize: 512, diskSizeBytes: 8 * GB, diskSignature: 1, partitions: [{ index: 1, firstLba: 2048, sectorCount: 2048, type: 0x99, active: false }] }
    expect(describeLayout(mbr)[0]).toMatchObject({ name: '', typeLabel: 'Type 0x99', typeCode: '0x99', flags: [] })
  })
})
