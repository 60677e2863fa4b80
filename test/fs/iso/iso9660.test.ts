import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openIso } from '../../../src/main/fs/iso/iso-image'
import { missingTool } from '../../support/tools'
import { tempDir } from '../../support/temp'
import {
  BOOT_OPTIONS,
  collect,
  DEEP_DIRECTORY,
  expectedEntries,
  expectPositionalReads,
  expectTreeEqualsFolder,
  FIXTURE_TIME,
  makeSourceTree,
  pseudoRandomBytes,
  run,
  stampTree,
} from './support/fixtures'

describe.skipIf(missingTool('xorriso', 'xorriso'))('ISO 9660 and Joliet images written by xorriso', () => {
  const dir = tempDir('imaging-iso9660-')
  const src = join(dir, 'src')
  const iso = join(dir, 'joliet-rr.iso')
  const plain = join(dir, 'plain.iso')

  beforeAll(() => {
    makeSourceTree(src)
    run('xorriso', ['-as', 'mkisofs', '-quiet', '-J', '-R', '-V', 'WIN_LIKE', ...BOOT_OPTIONS, '--boot-catalog-hide', '-o', iso, src])
    plainIso(src, plain)
  })

  it('prefers Joliet and reads every name, size, date and byte of the tree', async () => {
    const image = await openIso(iso)
    try {
      expect(image.kind).toBe('joliet')
      expect(image.available).toEqual(['joliet', 'iso9660'])
      expect(image.volumeLabel).toBe('WIN_LIKE')
      expect(image.udfRevision).toBeNull()
      expect(image.description).toContain('(Joliet)')
      await expectTreeEqualsFolder(image, src)
    } finally {
      await image.close()
    }
  })

  it('reads the same tree through ISO 9660 with Rock Ridge names', async () => {
    const image = await openIso(iso, { filesystem: 'iso9660' })
    try {
      expect(image.kind).toBe('iso9660')
      expect(image.rockRidge).toBe(true)
      await expectTreeEqualsFolder(image, src)
    } finally {
      await image.close()
    }
  })

  it('reads a plain ISO 9660 tree: 8.3 names without the ;1 version, stored case kept', async () => {
    const image = await openIso(plain)
    try {
      expect(image.kind).toBe('iso9660')
      expect(image.available).toEqual(['iso9660'])
      expect(image.rockRidge).toBe(false)
      const entries = await collect(image)
      expect(entries.every((e) => !e.name.includes(';') && !e.name.endsWith('.'))).toBe(true)
      expect(entries.map((e) => e.path)).toContain('SOURCES/INSTALL.WIM')
      const wim = await image.stat('sources/install.wim')
      expect(wim).toMatchObject({ path: 'SOURCES/INSTALL.WIM', name: 'INSTALL.WIM', size: 3 * 1024 * 1024 + 777, modified: FIXTURE_TIME })
      await expectPositionalReads(image, 'sources/install.wim', readFileSync(join(src, 'sources/install.wim')), [0, 2047, 2048, 1_048_577])
    } finally {
      await image.close()
    }
  })

  it('looks paths up case-insensitively, with either separator, and reports names as stored', async () => {
    const image = await openIso(iso)
    try {
      expect(await image.stat('SOURCES/INSTALL.WIM')).toMatchObject({ path: 'sources/install.wim', name: 'install.wim', isDirectory: false })
      expect(await image.stat('\\mixedcase\\readme.txt')).toMatchObject({ path: 'MixedCase/ReadMe.TXT', name: 'ReadMe.TXT' })
      expect(await image.stat(`/${DEEP_DIRECTORY.toUpperCase()}/LEAF.TXT`)).toMatchObject({ path: `${DEEP_DIRECTORY}/leaf.txt` })
      expect(await image.stat('')).toMatchObject({ path: '', isDirectory: true })
      expect(await image.stat('sources/missing.wim')).toBeNull()
      expect(await image.stat('setup.exe/below')).toBeNull()
      await expect(image.stat('sources/../setup.exe')).rejects.toMatchObject({ code: 'VALIDATION' })
      await expect(image.open('sources')).rejects.toMatchObject({ code: 'VALIDATION' })
      await expect(image.open('nothing.here')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    } finally {
      await image.close()
    }
  })

  it('reads at any position: odd offsets, sector boundaries, the last byte and past the end', async () => {
    const image = await openIso(iso)
    try {
      const wim = readFileSync(join(src, 'sources/install.wim'))
      await expectPositionalReads(image, 'sources/install.wim', wim, [0, 1, 2047, 2048, 2049, 1_000_001, wim.length - 4099, wim.length - 1, wim.length, wim.length + 10])
      const file = await image.open('sources/install.wim')
      await expect(file.read(new Uint8Array(1), -1)).rejects.toMatchObject({ code: 'VALIDATION' })
      await expect(image.stream('sources/install.wim', 64 << 20)[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'VALIDATION' })
      const sizes: number[] = []
      for await (const chunk of image.stream('sources/install.wim')) sizes.push(chunk.length)
      expect(sizes).toEqual([1 << 20, 1 << 20, 1 << 20, 777])
    } finally {
      await image.close()
    }
  })

  it('finds the BIOS and UEFI El Torito images where xorriso put them', async () => {
    const report = run('xorriso', ['-indev', iso, '-report_el_torito', 'plain'])
    const rows = [...report.matchAll(/^El Torito boot img :\s+\d+\s+(\S+)\s+y\s+(\S+)\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+(\d+)\s+(\d+)\s*$/gm)]
    expect(rows).toHaveLength(2)
    const image = await openIso(iso)
    try {
      const boot = await image.bootCatalog()
      expect(boot.map((b) => ({ platform: b.platform, emulation: b.emulation, loadSegment: b.loadSegment, sectorCount: b.sectorCount, loadRba: b.loadRba }))).toEqual(
        rows.map(([, platform, emulation, segment, count, lba]) => ({
          platform: platform.toLowerCase(),
          emulation,
          loadSegment: Number(segment),
          sectorCount: Number(count),
          loadRba: Number(lba),
        })),
      )
      const [bios, uefi] = boot
      expect(bios).toMatchObject({ bootable: true, path: 'boot/etfsboot.com', imageBytes: 4096, loadBytes: 4096, imageOffset: bios.loadRba * 2048 })
      expect(uefi).toMatchObject({ bootable: true, path: 'efi/microsoft/boot/efisys.bin', imageBytes: 65536 + 123 })
      const raw = readFileSync(iso)
      for (const entry of boot) {
        const expected = readFileSync(join(src, entry.path ?? ''))
        expect(raw.subarray(entry.imageOffset, entry.imageOffset + entry.imageBytes).equals(expected)).toBe(true)
      }
    } finally {
      await image.close()
    }
  })

  it('relocated deep directories (genisoimage Rock Ridge) come back in place', async ({ skip }) => {
    if (missingTool('genisoimage', 'genisoimage')) skip()
    const relocated = join(dir, 'relocated.iso')
    run('genisoimage', ['-quiet', '-R', '-o', relocated, src])
    const image = await openIso(relocated)
    try {
      expect(image).toMatchObject({ kind: 'iso9660', rockRidge: true })
      const paths = (await collect(image)).map((e) => e.path)
      // Like Linux, the emptied rr_moved directory stays visible.
      expect(paths.filter((p) => p !== 'rr_moved')).toEqual(expectedEntries(src).map((e) => e.path))
      expect(paths).toContain(`${DEEP_DIRECTORY}/leaf.txt`)
      const chunks: Uint8Array[] = []
      for await (const chunk of image.stream(`${DEEP_DIRECTORY}/leaf.txt`)) chunks.push(chunk)
      expect(Buffer.concat(chunks).toString()).toBe('deep\n')
    } finally {
      await image.close()
    }
  })

  it('reads a Rock Ridge name long enough to continue in a continuation area', async () => {
    const name = `${'n'.repeat(240)}.txt`
    const root = join(dir, 'long-rr')
    makeFiles(root, { [name]: pseudoRandomBytes(5, 9) })
    const path = join(dir, 'long-rr.iso')
    run('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-o', path, root])
    // The name does not fit beside the record's other entries: SUSP puts the rest in a CE area.
    expect(readFileSync(path).indexOf(Buffer.from([0x43, 0x45, 28, 1]))).toBeGreaterThan(0)
    const image = await openIso(path)
    try {
      expect(image.rockRidge).toBe(true)
      expect((await collect(image)).map((e) => [e.name, e.size])).toEqual([[name, 5]])
    } finally {
      await image.close()
    }
  })

  it('joins the sections of a multi-extent file across its extent boundary', async () => {
    // A real multi-extent file needs more than 4 GiB; here two adjacent files of a real image
    // are turned into the two sections of one, as ISO 9660 records them (ECMA-119 6.5.1).
    const parts = join(dir, 'parts')
    const first = pseudoRandomBytes(8192, 7)
    const second = pseudoRandomBytes(7777, 8)
    makeFiles(parts, { 'BIG.AAA': first, 'BIG.AAB': second })
    const patched = join(dir, 'multi-extent.iso')
    plainIso(parts, patched)
    const bytes = readFileSync(patched)
    const a = bytes.indexOf('BIG.AAA;1') - 33
    const b = bytes.indexOf('BIG.AAB;1') - 33
    expect(b).toBe(a + bytes[a])
    bytes[a + 25] |= 0x80
    bytes.write('BIG.AAA;1', b + 33)
    writeFileSync(patched, bytes)

    const image = await openIso(patched)
    try {
      expect((await collect(image)).map((e) => [e.path, e.size])).toEqual([['BIG.AAA', 8192 + 7777]])
      const whole = Buffer.concat([first, second])
      await expectPositionalReads(image, 'big.aaa', whole, [0, 4097, 8191 - 4098, 8190, 8191, 8192, 8193, whole.length - 1])
    } finally {
      await image.close()
    }
  })
})

/** ISO 9660 alone: xorriso's mkisofs emulation always adds Rock Ridge, its native commands need not. */
function plainIso(src: string, out: string): void {
  run('xorriso', ['-report_about', 'WARNING', '-rockridge', 'off', '-joliet', 'off', '-outdev', out, '-volid', 'PLAIN', '-map', src, '/'])
}

function makeFiles(root: string, files: Record<string, Uint8Array>): void {
  mkdirSync(root, { recursive: true })
  for (const [name, bytes] of Object.entries(files)) {
    writeFileSync(join(root, name), bytes, { flag: 'w' })
  }
  stampTree(root)
}
