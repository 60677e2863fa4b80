import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { openFat32, type Fat32Volume } from '../../../src/main/fs/fat32'
import { generateBytes } from '../../../src/main/jobs/tasks'
import { runTool } from '../../../src/main/platform/run-tool'
import { tempDir } from '../../support/temp'
import { missingTool, toolPath } from '../../support/tools'
import { MTOOLS_ENV, MiB, SMALL_VOLUME, buildVolume, copyImage, directory, file, readTree, type FileFixture } from './fixtures'

async function withVolume<T>(image: string, offset: number, use: (volume: Fat32Volume) => Promise<T>): Promise<T> {
  const target = await FileTarget.openExisting(image, { writable: false })
  try {
    return await use(await openFat32(target, offset))
  } finally {
    await target.close()
  }
}

async function readAll(volume: Fat32Volume, path: string): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of volume.read(path)) parts.push(part)
  return Buffer.concat(parts)
}

describe('openFat32 on our volumes', () => {
  const dir = tempDir('fat32-reader-')
  const created = new Date(Date.UTC(2023, 6, 4, 10, 20, 33, 470))
  const accessed = new Date(Date.UTC(2023, 6, 5))
  const entries = [
    file('Boot/BCD', 20_000, { created, accessed }),
    file('📁 emoji/🙂.txt', 5),
    file('readme.TXT', 1),
    file('empty', 0),
    directory('Sources'),
    file('sources/install.swm', 3 * MiB + 1),
  ]

  it('lists, stats and reads back what was written, names and times included', async () => {
    const volume = await buildVolume(join(dir, 'ours.img'), { entries, label: 'Ours', volumeId: 0xdeadbeef, offset: MiB, hiddenSectors: 2048 })
    await withVolume(volume.image, MiB, async (fat) => {
      expect(fat.info).toMatchObject({ label: 'OURS', volumeId: 0xdeadbeef, clusterSize: 512, hiddenSectors: 2048, sizeBytes: SMALL_VOLUME })
      expect(fat.info.freeClusters).toBe(volume.plan.geometry.clusterCount - (volume.plan.chains.end - 2))
      expect((await fat.list()).map((e) => [e.name, e.shortName, e.kind])).toEqual([
        ['Boot', 'BOOT', 'directory'],
        ['📁 emoji', '_EMOJI~1', 'directory'],
        ['readme.TXT', 'readme.TXT', 'file'],
        ['empty', 'empty', 'file'],
        ['Sources', 'SOURCES', 'directory'],
      ])
      for (const f of entries.filter((e): e is FileFixture => e.kind === 'file')) {
        expect(Buffer.compare(await readAll(fat, f.path), Buffer.from(f.data)), f.path).toBe(0)
      }
      const bcd = await fat.stat('BOOT/bcd')
      expect(bcd).toMatchObject({ path: 'Boot/BCD', size: 20_000, created, accessed })
      // Lookups ignore case and accept the short name.
      expect((await fat.stat('SOURCES/INSTALL.SWM')).path).toBe('Sources/install.swm')
      expect((await fat.stat('_emoji~1/🙂.TXT')).path).toBe('📁 emoji/🙂.txt')
      await expect(fat.stat('nope/x')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { path: 'nope/x' } })
      await expect(readAll(fat, 'Boot')).rejects.toMatchObject({ code: 'VALIDATION' })
      await expect(fat.list('empty')).rejects.toMatchObject({ code: 'VALIDATION' })
    })
  })
})

const noPeers = missingTool('mkfs.fat', 'dosfstools') || missingTool('mcopy', 'mtools')

describe.skipIf(noPeers)('openFat32 on volumes made by mkfs.fat and mcopy', () => {
  const dir = tempDir('fat32-theirs-')

  /** A folder tree, copied into a fresh mkfs.fat volume by mcopy -s -m. */
  async function theirVolume(name: string, sizeMiB: number, mkfsArgs: string[]): Promise<{ image: string; source: string }> {
    const source = join(dir, `${name}-src`)
    mkdirSync(join(source, 'Español/日本語'), { recursive: true })
    mkdirSync(join(source, 'many'), { recursive: true })
    const put = (path: string, size: number, seed: number) => {
      writeFileSync(join(source, path), generateBytes(seed, size))
      utimesSync(join(source, path), new Date(Date.UTC(2022, 4, 6, 7, 8, 10)), new Date(Date.UTC(2022, 4, 6, 7, 8, 10)))
    }
    put('Long File Name.html', 3000, 1)
    put('UPPER.TXT', 10, 2)
    put('empty.dat', 0, 3)
    put('Español/日本語/naïve.txt', 70_000, 4)
    // Files between the directory's clusters: mcopy grows the directory where there is room, so its chain jumps.
    for (let i = 0; i < 300; i++) put(`many/a rather long file name number ${i}.bin`, 600 + i, 10 + i)
    const image = join(dir, `${name}.img`)
    const made = await runTool(toolPath('mkfs.fat'), ['-F', '32', '-C', '-n', 'THEIRS', '-i', '0badf00d', ...mkfsArgs, image, String(sizeMiB * 1024)], { env: MTOOLS_ENV })
    expect(made.exitCode, made.stderr).toBe(0)
    const copied = await runTool(toolPath('mcopy'), ['-s', '-m', '-i', image, ...['Long File Name.html', 'UPPER.TXT', 'empty.dat', 'Español', 'many'].map((p) => join(source, p)), '::/'], {
      env: MTOOLS_ENV,
      timeoutMs: 60_000,
    })
    expect(copied.exitCode, copied.stderr).toBe(0)
    return { image, source }
  }

  async function expectSameAsFolder(fat: Fat32Volume, source: string): Promise<void> {
    const tree = readTree(source)
    for (const [path, expected] of tree) {
      const entry = await fat.stat(path)
      if (expected === 'dir') {
        expect(entry.kind, path).toBe('directory')
        continue
      }
      expect(entry.modified.getTime(), path).toBe(expected.mtimeMs)
      expect(Buffer.compare(await readAll(fat, path), expected.data), path).toBe(0)
    }
    expect((await fat.list('many')).length).toBe(300)
    expect((await fat.list()).map((e) => e.name).sort()).toEqual(['Español', 'Long File Name.html', 'UPPER.TXT', 'empty.dat', 'many'])
  }

  it('reads a volume with 512-byte sectors', async () => {
    const { image, source } = await theirVolume('theirs', 64, ['-s', '1'])
    await withVolume(image, 0, async (fat) => {
      expect(fat.info).toMatchObject({ label: 'THEIRS', volumeId: 0x0badf00d, clusterSize: 512, bytesPerSector: 512 })
      await expectSameAsFolder(fat, source)
    })
  })

  it('reads a volume with 4096-byte sectors', async () => {
    const { image, source } = await theirVolume('theirs-4k', 300, ['-S', '4096', '-s', '1'])
    await withVolume(image, 0, async (fat) => {
      expect(fat.info).toMatchObject({ clusterSize: 4096, bytesPerSector: 4096 })
      await expectSameAsFolder(fat, source)
    })
  })

  it('reports a FAT16 volume as unsupported', async () => {
    const image = join(dir, 'fat16.img')
    const made = await runTool(toolPath('mkfs.fat'), ['-F', '16', '-C', image, String(32 * 1024)], { env: MTOOLS_ENV })
    expect(made.exitCode, made.stderr).toBe(0)
    await expect(withVolume(image, 0, async () => undefined)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
  })
})

describe('openFat32 on corrupt volumes', () => {
  const dir = tempDir('fat32-corrupt-')
  const entries = [file('big.bin', 8 * 512 + 100), file('sub/inner.txt', 10), directory('other')]
  let base: Awaited<ReturnType<typeof buildVolume>> | undefined

  async function corrupted(name: string, patch: (target: FileTarget, plan: NonNullable<typeof base>['plan']) => Promise<void>): Promise<string> {
    base ??= await buildVolume(join(dir, 'base.img'), { entries })
    const image = copyImage(base.image, join(dir, `${name}.img`))
    const target = await FileTarget.openExisting(image, { writable: true })
    await patch(target, base.plan)
    await target.close()
    return image
  }

  const u32 = (value: number) => new Uint8Array(new Uint32Array([value]).buffer)
  const fatEntry = (plan: NonNullable<typeof base>['plan'], cluster: number) => plan.geometry.fatOffset + cluster * 4
  const node = (plan: NonNullable<typeof base>['plan'], path: string) => [...plan.directories, ...plan.files].find((n) => n.path === path)!

  it('names a cluster loop in a file chain instead of reading forever', async () => {
    const image = await corrupted('file-loop', async (target, plan) => {
      const big = node(plan, 'big.bin')
      await target.write(u32(big.firstCluster + 1), fatEntry(plan, big.firstCluster + 3))
    })
    await withVolume(image, 0, async (fat) => {
      await expect(readAll(fat, 'big.bin')).rejects.toMatchObject({ code: 'CORRUPT', details: { structure: 'FAT' }, message: expect.stringMatching(/big\.bin.*loop/) })
    })
  })

  it('names a directory that loops onto itself, without hanging', async () => {
    const image = await corrupted('dir-loop', async (target, plan) => {
      const sub = node(plan, 'sub')
      await target.write(u32(sub.firstCluster), fatEntry(plan, sub.firstCluster))
    })
    await withVolume(image, 0, async (fat) => {
      await expect(fat.list('sub')).rejects.toMatchObject({ code: 'CORRUPT', details: { structure: 'FAT', offset: fatEntry(base!.plan, node(base!.plan, 'sub').firstCluster) } })
    })
  })

  it('names a chain pointing past the last cluster, a free cluster inside a chain, and a chain shorter than its file', async () => {
    const past = await corrupted('past-end', async (target, plan) => {
      await target.write(u32(0x0ffffff0), fatEntry(plan, node(plan, 'big.bin').firstCluster + 2))
    })
    await withVolume(past, 0, async (fat) => {
      await expect(readAll(fat, 'big.bin')).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/past the last cluster/) })
    })
    const free = await corrupted('free-in-chain', async (target, plan) => {
      await target.write(u32(0), fatEntry(plan, node(plan, 'big.bin').firstCluster))
    })
    await withVolume(free, 0, async (fat) => {
      await expect(readAll(fat, 'big.bin')).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/free entry/) })
    })
    const short = await corrupted('short-chain', async (target, plan) => {
      await target.write(u32(0x0fffffff), fatEntry(plan, node(plan, 'big.bin').firstCluster + 1))
    })
    await withVolume(short, 0, async (fat) => {
      await expect(readAll(fat, 'big.bin')).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/ends after 2 clusters; its size needs 9/) })
    })
  })

  it('names a directory entry whose first cluster is outside the volume', async () => {
    const image = await corrupted('bad-start', async (target, plan) => {
      const root = plan.geometry.dataOffset
      // In the root, find the short entry of "sub" and point it far away.
      const bytes = new Uint8Array(512)
      await target.read(bytes, root)
      const at = Array.from({ length: 16 }, (_, i) => i * 32).find((o) => new TextDecoder().decode(bytes.subarray(o, o + 11)) === 'SUB        ')!
      await target.write(new Uint8Array([0xff, 0x7f]), root + at + 20)
    })
    await withVolume(image, 0, async (fat) => {
      await expect(fat.list('sub')).rejects.toMatchObject({ code: 'CORRUPT', details: { structure: 'directory entry' }, message: expect.stringMatching(/outside/) })
    })
  })

  it('names a broken boot sector and a truncated image', async () => {
    const unsigned = await corrupted('no-signature', (target) => target.write(new Uint8Array(2), 510))
    await expect(withVolume(unsigned, 0, async () => undefined)).rejects.toMatchObject({ code: 'CORRUPT', details: { structure: 'FAT32 boot sector', offset: 0 }, message: expect.stringMatching(/0x55AA/) })
    const sectors = await corrupted('bad-sector-size', (target) => target.write(new Uint8Array([0x00, 0x03]), 11))
    await expect(withVolume(sectors, 0, async () => undefined)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/768 bytes per sector/) })
    const root = await corrupted('bad-root', (target) => target.write(u32(0x0ffffff0), 44))
    await expect(withVolume(root, 0, async () => undefined)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/root cluster/) })
    const truncated = join(dir, 'truncated.img')
    const whole = await FileTarget.openExisting(base!.image, { writable: false })
    const part = await FileTarget.create(truncated, 20 * MiB)
    const head = new Uint8Array(20 * MiB)
    await whole.read(head, 0)
    await part.write(head, 0)
    await Promise.all([whole.close(), part.close()])
    await expect(withVolume(truncated, 0, async () => undefined)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/has only/) })
  })
})
