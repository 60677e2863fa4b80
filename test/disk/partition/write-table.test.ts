import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTarget, type ByteTarget } from '../../../src/main/disk/byte-target'
import { planLayout, readPartitionTable, writePartitionTable, type DiskLayout, type GptLayout, type MbrLayout } from '../../../src/main/disk/partition'
import { tempDir } from '../../support/temp'
import { missingTool } from '../../support/tools'
import { run, sfdiskJson } from './peers'

const GB = 1e9
const MiB = 1024 * 1024
const dir = tempDir('imaging-partition-writer-')
let serial = 0

function bytesAt(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r')
  const buffer = Buffer.alloc(length)
  readSync(fd, buffer, 0, length, offset)
  closeSync(fd)
  return buffer
}

function writeAt(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+')
  writeSync(fd, bytes, 0, bytes.length, offset)
  closeSync(fd)
}

async function withImage<T>(sizeBytes: number, use: (target: FileTarget, path: string) => Promise<T>): Promise<T> {
  const path = join(dir, `disk-${serial++}.img`)
  const target = await FileTarget.create(path, sizeBytes)
  try {
    return await use(target, path)
  } finally {
    await target.close()
  }
}

/** A real file target that also notes where each write went. */
class RecordingTarget implements ByteTarget {
  readonly writes: { offset: number; length: number; zeros: boolean }[] = []
  constructor(private readonly inner: ByteTarget) {}
  get name(): string {
    return this.inner.name
  }
  get size(): number {
    return this.inner.size
  }
  write(data: Uint8Array, position: number): Promise<void> {
    this.writes.push({ offset: position, length: data.length, zeros: data.every((b) => b === 0) })
    return this.inner.write(data, position)
  }
  read(buffer: Uint8Array, position: number): Promise<number> {
    return this.inner.read(buffer, position)
  }
  flush(): Promise<void> {
    return this.inner.flush()
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}

const missingPeers = missingTool('sgdisk', 'gdisk') || missingTool('sfdisk', 'fdisk') || missingTool('mkfs.fat', 'dosfstools') || missingTool('wipefs', 'util-linux')

describe.skipIf(missingPeers)('writing over an old disk', () => {
  const signaturesOf = (path: string): string[] =>
    (JSON.parse(run('wipefs', ['--no-act', '--json', path])) as { signatures: { offset: string; type: string }[] }).signatures.map((s) => `${s.type}@${s.offset}`).sort()
  const fileSystemAt = (path: string, offset: number): string => {
    try {
      return run('blkid', ['-p', '-O', String(offset), path])
    } catch {
      return ''
    }
  }
  const gptSignatureAt = (path: string, offset: number): boolean => bytesAt(path, offset, 8).toString('latin1') === 'EFI PART'

  it('leaves no old GPT (at either sector size) and no old file system behind an MBR layout', async () => {
    const size = 4 * GB
    await withImage(size, async (target, path) => {
      run('sgdisk', ['-o', '-n1:0:0', path])
      for (const at of [4096, size - 4096]) writeAt(path, at, Buffer.from('EFI PART', 'latin1'))
      run('mkfs.fat', ['-F', '32', '--offset', '2048', path, String(1024 * 1024)])
      expect(fileSystemAt(path, MiB)).toMatch(/TYPE="vfat"/)

      await writePartitionTable(target, planLayout('usb-bios-uefi', size))

      expect(signaturesOf(path)).toEqual(['dos@0x1fe'])
      expect(fileSystemAt(path, MiB)).toBe('')
      for (const at of [512, 4096, size - 512, size - 4096]) expect(gptSignatureAt(path, at)).toBe(false)
      expect(await readPartitionTable(target)).toMatchObject({ table: 'mbr', partitions: [{ type: 0x0c, active: true }] })
    })
  })

  it('leaves no old 512-byte GPT and no old file system behind a 4K-sector GPT layout', async () => {
    const size = 32 * GB
    await withImage(size, async (target, path) => {
      const layout = planLayout('uefi', size, { sectorSize: 4096 })
      const windowsStart = layout.partitions[2].firstLba * 4096
      run('sgdisk', ['-o', '-n1:0:0', path])
      run('mkfs.fat', ['-F', '32', '--offset', String(windowsStart / 512), path, String(1024 * 1024)])
      expect(fileSystemAt(path, windowsStart)).toMatch(/TYPE="vfat"/)

      await writePartitionTable(target, layout)

      expect(gptSignatureAt(path, 512)).toBe(false)
      expect(gptSignatureAt(path, 4096)).toBe(true)
      for (const p of layout.partitions) expect(fileSystemAt(path, p.firstLba * 4096)).toBe('')
      expect(await readPartitionTable(target)).toMatchObject({ table: 'gpt', sectorSize: 4096 })
    })
  })

  it('zeroes the old table first and writes the MBR last, a few MiB in all', async () => {
    await withImage(2e12, async (file) => {
      const target = new RecordingTarget(file)
      await writePartitionTable(target, planLayout('uefi', 2e12))
      expect(target.writes[0]).toMatchObject({ offset: 0, zeros: true })
      expect(target.writes.at(-1)).toEqual({ offset: 0, length: 512, zeros: false })
      expect(target.writes.filter((w) => !w.zeros).map((w) => w.offset)).toEqual([2e12 - 33 * 512, 2e12 - 512, 1024, 512, 0])
      expect(target.writes.reduce((sum, w) => sum + w.length, 0)).toBeLessThan(8 * MiB)
    })
  })
})

describe.skipIf(missingTool('sfdisk', 'fdisk'))('boot code', () => {
  it('is written to bytes 0-439 when given, around the signature and entries', async () => {
    await withImage(32 * GB, async (target, path) => {
      const layout = planLayout('bios', 32 * GB) as MbrLayout
      const bootCode = randomBytes(440)
      await writePartitionTable(target, layout, { bootCode })
      expect(bytesAt(path, 0, 440).equals(bootCode)).toBe(true)
      expect(sfdiskJson(path)).toMatchObject({ id: '0x' + layout.diskSignature.toString(16).padStart(8, '0') })
      expect((await readPartitionTable(target))?.partitions).toHaveLength(3)
    })
  })

  it('leaves bytes 0-439 zero without it, whatever was there', async () => {
    await withImage(1 * GB, async (target, path) => {
      writeAt(path, 0, randomBytes(440))
      await writePartitionTable(target, planLayout('usb-uefi', 1 * GB))
      expect(bytesAt(path, 0, 440).every((b) => b === 0)).toBe(true)
    })
  })
})

describe('refusing a layout that cannot be written', () => {
  const gpt = (): GptLayout => planLayout('uefi', 32 * GB) as GptLayout
  const mbr = (): MbrLayout => planLayout('bios', 32 * GB) as MbrLayout
  const cases: [string, () => DiskLayout, string][] = [
    ['a layout planned for another disk size', () => ({ ...gpt(), diskSizeBytes: 64 * GB }), 'diskSizeBytes'],
    ['overlapping partitions', () => withPartition(gpt(), 2, (p) => ({ ...p, firstLba: p.firstLba - 8 })), 'firstLba'],
    ['a partition in the GPT entry array', () => withPartition(gpt(), 0, (p) => ({ ...p, firstLba: 20 })), 'firstLba'],
    ['usable LBAs over the entry array', () => ({ ...gpt(), firstUsableLba: 10 }), 'firstUsableLba'],
    ['a 37-character name', () => withPartition(gpt(), 0, (p) => ({ ...p, name: 'x'.repeat(37) })), 'name'],
    ['a type that is not a GUID', () => withPartition(gpt(), 0, (p) => ({ ...p, typeGuid: 'EFI' })), 'typeGuid'],
    ['a unique GUID used twice', () => withPartition(gpt(), 1, (p, l) => ({ ...p, uniqueGuid: (l as GptLayout).partitions[0].uniqueGuid.toLowerCase() })), 'uniqueGuid'],
    ['attributes past 64 bits', () => withPartition(gpt(), 0, (p) => ({ ...p, attributes: 1n << 64n })), 'attributes'],
    ['a GPT slot past 128', () => withPartition(gpt(), 0, (p) => ({ ...p, index: 129 })), 'index'],
    ['a fifth MBR entry', () => withPartition(mbr(), 0, (p) => ({ ...p, index: 5 })), 'index'],
    ['two active MBR partitions', () => withPartition(mbr(), 1, (p) => ({ ...p, active: true })), 'active'],
    ['an MBR type 0xEE', () => withPartition(mbr(), 1, (p) => ({ ...p, type: 0xee })), 'type'],
    ['an MBR partition over the MBR', () => withPartition(mbr(), 0, (p) => ({ ...p, firstLba: 0 })), 'firstLba'],
    ['a 33-bit disk signature', () => ({ ...mbr(), diskSignature: 2 ** 32 }), 'diskSignature'],
  ]

  it.each(cases)('refuses %s with VALIDATION, writing nothing', async (_title, make, field) => {
    await withImage(32 * GB, async (target, path) => {
      const before = randomBytes(4096)
      writeAt(path, 0, before)
      await expect(writePartitionTable(target, make())).rejects.toMatchObject({ code: 'VALIDATION', details: { path, field } })
      expect(bytesAt(path, 0, 4096).equals(before)).toBe(true)
    })
  })

  it('refuses an MBR partition past 2^32 sectors rather than let its 32-bit fields wrap', async () => {
    await withImage(3e12, async (target) => {
      const layout = withPartition(planLayout('bios', 3e12) as MbrLayout, 2, (p) => ({ ...p, firstLba: 2 ** 32 + 2048 }))
      await expect(writePartitionTable(target, layout)).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'firstLba', index: 3 } })
    })
  })

  it('refuses boot code longer than 440 bytes', async () => {
    await withImage(32 * GB, async (target) => {
      await expect(writePartitionTable(target, mbr(), { bootCode: new Uint8Array(441) })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'bootCode' } })
    })
  })
})

function withPartition<L extends DiskLayout>(layout: L, at: number, change: (partition: L['partitions'][number], layout: L) => L['partitions'][number]): L {
  return { ...layout, partitions: layout.partitions.map((p, i) => (i === at ? change(p, layout) : p)) }
}
