import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTarget, type ByteTarget } from '../../../src/main/disk/byte-target'
import { openFat32, planFat32, writeFat32, type FatSourceEntry } from '../../../src/main/fs/fat32'
import { runTool } from '../../../src/main/platform/run-tool'
import { tempDir } from '../../support/temp'
import { missingTool, toolPath } from '../../support/tools'
import { MTOOLS_ENV, MiB, SMALL_VOLUME, T0, buildVolume, directory, expectClean, expectTreeEqual, file, mcopyAll, mdir, parseMdir, readTree, type FileFixture } from './fixtures'

const noPeers = missingTool('fsck.fat', 'dosfstools') || missingTool('mcopy', 'mtools')

describe.skipIf(noPeers)('writeFat32, checked by fsck.fat and mtools', () => {
  const dir = tempDir('fat32-writer-')

  it('makes an empty volume: root at cluster 2, the label in the BPB and the root', async () => {
    const volume = await buildVolume(join(dir, 'empty.img'), { label: 'Empty', volumeId: 0x1234abcd, entries: [] })
    expect(volume.plan.chains.end).toBe(3)
    await expectClean(volume)
    const listing = await mdir(volume)
    expect(listing).toContain('Volume in drive : is EMPTY')
    expect(listing).toContain('Volume Serial Number is 1234-ABCD')
    expect(parseMdir(listing)).toEqual([])
    const minfo = await runTool(toolPath('minfo'), ['-i', `${volume.image}@@0`, '::'], { env: MTOOLS_ENV })
    expect(minfo.stdout).toMatch(/disk label="EMPTY {6}"/)
    expect(minfo.stdout).toMatch(/rootCluster=2\b/)
    expect(minfo.stdout).toMatch(/reserved \(boot\) sectors: 32\b/)
    expect(minfo.stdout).toMatch(/media descriptor byte: 0xf8/)
    expect(minfo.stdout).toMatch(new RegExp(`free clusters=${volume.plan.geometry.clusterCount - 1}\\b`))
  })

  it('makes a volume without a label', async () => {
    const volume = await buildVolume(join(dir, 'nolabel.img'), { entries: [file('a.bin', 10)] })
    await expectClean(volume)
    expect(await mdir(volume)).toContain('Volume in drive : has no label')
  })

  it('holds a mixed tree that mcopy reads back byte-equal, with modification times', async () => {
    const clusterSize = 4096
    const entries: FatSourceEntry[] = [
      directory('efi'),
      directory('efi/boot'),
      file('efi/boot/bootx64.efi', 300_001),
      file('empty.txt', 0),
      directory('empty-dir'),
      file('one-cluster.bin', clusterSize),
      file('one-cluster-and-a-byte.bin', clusterSize + 1),
      file('sources/boot.wim', 2 * MiB + 17, { chunk: 100_003 }),
      file('sources/setup.exe', 12_345, { modified: new Date(Date.UTC(2021, 11, 31, 23, 59, 59)) }),
      file('sources/empty too.txt', 0),
    ]
    const volume = await buildVolume(join(dir, 'mixed.img'), { sizeBytes: 300 * MiB, clusterSize, label: 'ESD-USB', entries })
    // Clusters: root, efi, efi/boot, empty-dir, sources, then the files; none for empty files.
    const fileClusters = [300_001, clusterSize, clusterSize + 1, 2 * MiB + 17, 12_345].reduce((sum, size) => sum + Math.ceil(size / clusterSize), 0)
    expect(volume.plan.chains.end - 2).toBe(5 + fileClusters)
    await expectClean(volume)
    const out = join(dir, 'mixed-out')
    mkdirSync(out)
    await mcopyAll(volume, out)
    const copied = readTree(out)
    expectTreeEqual(copied, entries)
    expect(copied.get('empty-dir')).toBe('dir')
  })

  it('holds a deep tree', async () => {
    const entries: FatSourceEntry[] = []
    let path = ''
    for (let level = 1; level <= 40; level++) {
      path = path ? `${path}/level ${level}` : `level ${level}`
      entries.push(file(`${path}/file-${level}.dat`, level * 97))
    }
    const volume = await buildVolume(join(dir, 'deep.img'), { entries })
    await expectClean(volume)
    const out = join(dir, 'deep-out')
    mkdirSync(out)
    await mcopyAll(volume, out)
    expectTreeEqual(readTree(out), entries)
  })

  it('holds 2,000 files in one directory that spans many clusters, each with its own ~N name', async () => {
    const entries = Array.from({ length: 2000 }, (_, i) => file(`many/Install Part ${String(i).padStart(4, '0')}.swm`, i % 700))
    const volume = await buildVolume(join(dir, 'many.img'), { entries })
    const many = volume.plan.directories.find((d) => d.path === 'many')!
    expect(many.clusterCount).toBeGreaterThan(100)
    await expectClean(volume)
    const lines = parseMdir(await mdir(volume, '/many'))
    const named = lines.filter((l) => l.long?.startsWith('Install Part'))
    expect(named).toHaveLength(2000)
    expect(new Set(named.map((l) => l.short)).size).toBe(2000)
    expect(named.find((l) => l.long === 'Install Part 0000.swm')?.short).toBe('INSTAL~1.SWM')
    expect(named.find((l) => l.long === 'Install Part 0009.swm')?.short).toBe('INSTA~10.SWM')
    expect(named.find((l) => l.long === 'Install Part 1999.swm')?.short).toBe('INS~2000.SWM')
    const out = join(dir, 'many-out')
    mkdirSync(out)
    await mcopyAll(volume, out)
    expectTreeEqual(readTree(out), entries)
  })

  it('makes 8.3 names as Windows does, with NT case flags instead of a long name where they suffice', async () => {
    const names = [
      'UPPER.TXT',
      'lower.txt',
      'other.TXT',
      'Readme.txt',
      'Long File Name.html',
      'LONGFI~1.HTM',
      'Long File Name too.html',
      'my.file.name.txt',
      '.hidden',
      'a+b=c[1];.txt',
      'noext',
      'toolongname',
      'x.jpeg',
    ]
    const volume = await buildVolume(join(dir, 'names.img'), { entries: names.map((n) => file(n, 3)) })
    await expectClean(volume)
    const byLong = new Map(parseMdir(await mdir(volume)).map((l) => [l.long ?? l.short, l.short]))
    expect(Object.fromEntries(byLong)).toEqual({
      'UPPER.TXT': 'UPPER.TXT',
      'lower.txt': 'lower.txt',
      'other.TXT': 'other.TXT',
      'Readme.txt': 'README.TXT',
      'LONGFI~1.HTM': 'LONGFI~1.HTM',
      // The exact 8.3 name above keeps ~1; the generated names take the next tails.
      'Long File Name.html': 'LONGFI~2.HTM',
      'Long File Name too.html': 'LONGFI~3.HTM',
      'my.file.name.txt': 'MYFILE~1.TXT',
      '.hidden': 'HIDDEN~1',
      'a+b=c[1];.txt': 'A_B_C_~1.TXT',
      noext: 'noext',
      toolongname: 'TOOLON~1',
      'x.jpeg': 'X~1.JPE',
    })
  })

  it('stores unicode names in long-name entries and gives them ASCII short names', async () => {
    // Names beyond the BMP (surrogate pairs) are left to our reader: mtools decodes UCS-2 only.
    const entries = [file('Español/日本語.txt', 10), file('Ελληνικά/naïve café.doc', 20), file('€ euro/ß.txt', 30), directory('Español/Straße')]
    const volume = await buildVolume(join(dir, 'unicode.img'), { entries })
    await expectClean(volume)
    expect(parseMdir(await mdir(volume)).map((l) => [l.short, l.long])).toEqual([
      ['ESPA_O~1', 'Español'],
      ['______~1', 'Ελληνικά'],
      ['_EURO~1', '€ euro'],
    ])
    const out = join(dir, 'unicode-out')
    mkdirSync(out)
    await mcopyAll(volume, out)
    const copied = readTree(out)
    expectTreeEqual(copied, entries)
    expect(copied.get('Español/Straße')).toBe('dir')
  })

  it('places a volume inside a larger image after an MBR entry, with the hidden sectors of its partition', async () => {
    const startLba = 2048
    const sizeBytes = SMALL_VOLUME
    const path = join(dir, 'disk.img')
    const entries = [file('bootmgr', 5000), file('boot/bcd', 700)]
    const volume = await buildVolume(path, { entries, offset: startLba * 512, imageBytes: startLba * 512 + sizeBytes + MiB, hiddenSectors: startLba, label: 'WINPE' })
    const target = await FileTarget.openExisting(path, { writable: true })
    await target.write(mbrWithOnePartition(startLba, sizeBytes / 512), 0)
    await target.close()
    await expectClean(volume)
    const minfo = await runTool(toolPath('minfo'), ['-i', `${path}@@${startLba * 512}`, '::'], { env: MTOOLS_ENV })
    expect(minfo.stdout).toMatch(/hidden sectors: 2048\b/)
    const out = join(dir, 'disk-out')
    mkdirSync(out)
    await mcopyAll(volume, out)
    expectTreeEqual(readTree(out), entries)
  })

  it('writes in one increasing pass of large aligned blocks, the boot sector and its backup last', async () => {
    const entries = [file('a.bin', 5 * MiB), file('b/c.bin', 3 * MiB + 5), directory('d')]
    const plan = planFat32({ sizeBytes: 64 * MiB, entries, now: T0 })
    const offset = MiB
    const target = new RecordingTarget(await FileTarget.create(join(dir, 'order.img'), offset + 64 * MiB))
    const progress: number[] = []
    await writeFat32(target, offset, plan, { onProgress: (done, total) => progress.push(done / total) })
    await target.close()
    const pass = target.writes.slice(0, -2)
    // The reserved sectors on their own first: from then on no boot sector is there.
    expect(pass[0]).toEqual({ position: offset, length: 32 * 512 })
    expect(target.firstSectorOfPass.every((b) => b === 0)).toBe(true)
    let next = offset
    for (const w of pass) {
      expect(w.position).toBe(next)
      expect(w.length).toBeLessThanOrEqual(MiB)
      next += w.length
    }
    expect(next - offset).toBe(plan.bytesToWrite)
    // Then blocks ending on 1 MiB boundaries of the image.
    expect(pass[1]).toEqual({ position: offset + 32 * 512, length: 2 * MiB - offset - 32 * 512 })
    expect(pass.slice(2, -1).every((w) => w.length === MiB && w.position % MiB === 0)).toBe(true)
    expect(target.writes.slice(-2).map((w) => [w.position, w.length])).toEqual([
      [offset + 6 * 512, 512],
      [offset, 512],
    ])
    expect(progress.at(-1)).toBe(1)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
  })

  it('reads positional sources straight into its blocks, in reads of up to a block, and closes each', async () => {
    const reads = new Map<string, Array<[number, number]>>()
    let closed = 0
    const positional = (path: string, size: number): FileFixture => {
      const fixture = file(path, size)
      reads.set(path, [])
      const read = async (buffer: Uint8Array, position: number) => {
        reads.get(path)!.push([position, buffer.length])
        const part = fixture.data.subarray(position, position + buffer.length)
        buffer.set(part)
        return part.length
      }
      return { ...fixture, open: async () => ({ size, read, close: async () => void closed++ }) }
    }
    const entries = [positional('sources/install.wim', 9 * MiB + 3), file('sources/boot.wim', 70_000), positional('setup.exe', 10)]
    const volume = await buildVolume(join(dir, 'positional.img'), { sizeBytes: 64 * MiB, entries })
    await expectClean(volume)
    const out = join(dir, 'positional-out')
    mkdirSync(out)
    await mcopyAll(volume, out)
    expectTreeEqual(readTree(out), entries)
    expect(closed).toBe(2)
    const install = reads.get('sources/install.wim')!
    expect(install.every(([, length]) => length <= MiB)).toBe(true)
    expect(install.map(([position]) => position)).toEqual(install.map((_, i) => install.slice(0, i).reduce((sum, [, length]) => sum + length, 0)))
    expect(install.reduce((sum, [, length]) => sum + length, 0)).toBe(9 * MiB + 3)
  })

  it('gives the same bytes for the same input, on any host', async () => {
    const entries = () => [file('x/y.txt', 1000), file('Z z.bin', 70_000)]
    const a = await buildVolume(join(dir, 'same-a.img'), { entries: entries(), label: 'SAME' })
    const b = await buildVolume(join(dir, 'same-b.img'), { entries: entries(), label: 'SAME' })
    const digest = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')
    expect(digest(a.image)).toBe(digest(b.image))
  })

  it('formats a 64 GiB volume with 32 KiB clusters, streaming its 8 MiB FATs', async () => {
    const entries = [file('big/part.bin', 100_000)]
    const volume = await buildVolume(join(dir, 'large.img'), { sizeBytes: 64 * 1024 * MiB, entries })
    expect(volume.plan.geometry.clusterSize).toBe(32 * 1024)
    expect(volume.plan.chains.end - 2).toBe(2 + Math.ceil(100_000 / 32768))
    await expectClean(volume)
    const target = await FileTarget.openExisting(volume.image, { writable: false })
    const fat = await openFat32(target, 0)
    expect(fat.info.freeClusters).toBe(volume.plan.geometry.clusterCount - 6)
    await target.close()
  })
})

describe('writeFat32 placement', () => {
  const dir = tempDir('fat32-place-')

  it('refuses a volume that does not fit in the target or does not start on a sector', async () => {
    const plan = planFat32({ sizeBytes: SMALL_VOLUME, entries: [], now: T0 })
    const target = await FileTarget.create(join(dir, 'small.img'), SMALL_VOLUME + 4096)
    await expect(writeFat32(target, 8192, plan)).rejects.toMatchObject({ code: 'VALIDATION', details: { offset: 8192, size: SMALL_VOLUME } })
    await expect(writeFat32(target, 100, plan)).rejects.toMatchObject({ code: 'VALIDATION', details: { offset: 100 } })
    const untouched = new Uint8Array(SMALL_VOLUME + 4096)
    await target.read(untouched, 0)
    expect(untouched.every((b) => b === 0)).toBe(true)
    await target.close()
  })
})

class RecordingTarget implements ByteTarget {
  readonly writes: Array<{ position: number; length: number }> = []
  firstSectorOfPass = new Uint8Array()

  constructor(private readonly inner: ByteTarget) {}

  get name(): string {
    return this.inner.name
  }

  get size(): number {
    return this.inner.size
  }

  write(data: Uint8Array, position: number): Promise<void> {
    if (this.writes.length === 0) this.firstSectorOfPass = data.slice(0, 512)
    this.writes.push({ position, length: data.length })
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

/** A DOS partition table with one FAT32 (LBA) partition, so the image is a disk as firmware sees one. */
function mbrWithOnePartition(startLba: number, sectors: number): Uint8Array {
  const sector = new Uint8Array(512)
  const view = new DataView(sector.buffer)
  const entry = 446
  sector[entry + 4] = 0x0c
  view.setUint32(entry + 8, startLba, true)
  view.setUint32(entry + 12, sectors, true)
  view.setUint16(510, 0xaa55, true)
  return sector
}
