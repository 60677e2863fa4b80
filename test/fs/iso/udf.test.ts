import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openIso } from '../../../src/main/fs/iso/iso-image'
import { missingTool } from '../../support/tools'
import { tempDir } from '../../support/temp'
import {
  collect,
  expectedEntries,
  expectPositionalReads,
  expectTreeEqualsFolder,
  genisoimageBridge,
  makeSourceTree,
  pseudoRandomBytes,
  run,
} from './support/fixtures'
import { craftUdfImage, type CraftedExtent, type CraftedNode } from './support/udf-builder'

describe.skipIf(missingTool('genisoimage', 'genisoimage'))('UDF bridge images written by genisoimage (UDF 1.02, as on Windows media)', () => {
  const dir = tempDir('imaging-udf-')
  const src = join(dir, 'src')
  const bridge = join(dir, 'bridge.iso')
  const udfOnly = join(dir, 'udf-only.iso')

  beforeAll(() => {
    makeSourceTree(src)
    genisoimageBridge(src, bridge)
    // Like Microsoft's "-u2" media: the ISO 9660 side shows nothing of the tree, only UDF has it.
    run('genisoimage', ['-quiet', '-udf', '-D', '-hide', '*', '-V', 'UDF_ONLY', '-o', udfOnly, src])
  })

  it('prefers UDF, reports revision 1.02, and reads every name, size, date and byte', async () => {
    const image = await openIso(bridge)
    try {
      expect(image).toMatchObject({ kind: 'udf', udfRevision: '1.02', volumeLabel: 'CCCOMA_X64FRE_EN-US_DV9', available: ['udf', 'joliet', 'iso9660'] })
      expect(image.description).toContain('(UDF 1.02)')
      await expectTreeEqualsFolder(image, src)
      const wim = readFileSync(join(src, 'sources/install.wim'))
      await expectPositionalReads(image, 'Sources/Install.wim', wim, [0, 3, 2047, 2048, 65_535, 65_537, wim.length - 4099, wim.length - 2])
    } finally {
      await image.close()
    }
  })

  it('reads the UDF side when the ISO 9660 side hides the tree', async () => {
    const image = await openIso(udfOnly)
    try {
      expect(image.kind).toBe('udf')
      await expectTreeEqualsFolder(image, src)
    } finally {
      await image.close()
    }
    const isoSide = await openIso(udfOnly, { filesystem: 'iso9660' })
    try {
      expect(await collect(isoSide)).toEqual([])
    } finally {
      await isoSide.close()
    }
    await expect(openIso(udfOnly, { filesystem: 'joliet' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('locates the El Torito images through the UDF tree', async () => {
    const image = await openIso(bridge)
    try {
      const boot = await image.bootCatalog()
      expect(boot.map((b) => [b.platform, b.emulation, b.path, b.imageBytes])).toEqual([
        ['bios', 'none', 'boot/etfsboot.com', 4096],
        ['uefi', 'none', 'efi/microsoft/boot/efisys.bin', 65536 + 123],
      ])
      const raw = readFileSync(bridge)
      for (const entry of boot) {
        expect(raw.subarray(entry.imageOffset, entry.imageOffset + entry.imageBytes).equals(readFileSync(join(src, entry.path ?? '')))).toBe(true)
      }
    } finally {
      await image.close()
    }
  })
})

describe.skipIf(missingTool('mkudffs', 'udftools'))('UDF volumes formatted by mkudffs (revisions 1.02 to 2.01, 512- to 4096-byte blocks)', () => {
  const dir = tempDir('imaging-mkudffs-')

  for (const revision of ['1.02', '1.50', '2.01']) {
    for (const [blockSize, layout] of [
      ['512', 'inicb'],
      ['2048', 'short'],
      ['4096', 'long'],
    ]) {
      it(`opens UDF ${revision} with ${blockSize}-byte blocks and a root directory in ${layout} form`, async () => {
        const path = join(dir, `mkudffs-${revision}-${blockSize}.img`)
        rmSync(path, { force: true })
        run('mkudffs', ['--media-type=hd', `--blocksize=${blockSize}`, `--udfrev=${revision}`, `--ad=${layout}`, '--label=MKUDFFS', '--new-file', path, '1000'])
        const image = await openIso(path)
        try {
          expect(image).toMatchObject({ kind: 'udf', udfRevision: revision, volumeLabel: 'MKUDFFS', available: ['udf'] })
          expect(await collect(image)).toEqual([])
          expect(await image.stat('')).toMatchObject({ isDirectory: true })
          expect(await image.bootCatalog()).toEqual([])
        } finally {
          await image.close()
        }
      })
    }
  }

  it('refuses rewritable and write-once layouts (sparable, virtual partitions) as unsupported, naming them', async () => {
    for (const [media, kind] of [
      ['cdrw', '*UDF Sparable Partition'],
      ['cdr', '*UDF Virtual Partition'],
    ]) {
      const path = join(dir, `mkudffs-${media}.img`)
      rmSync(path, { force: true })
      run('mkudffs', [`--media-type=${media}`, '--new-file', path, '20000'])
      await expect(openIso(path)).rejects.toMatchObject({ code: 'UNSUPPORTED', details: { structure: 'UDF logical volume descriptor' }, message: expect.stringContaining(kind) })
    }
  })
})

const GIB_EXTENT = 0x3ffff800 // the largest whole number of 2048-byte blocks a 30-bit extent length holds

function marker(seed: number): Uint8Array {
  return pseudoRandomBytes(3000, seed)
}

/** The bytes a crafted extents file holds at [position, position + length). */
function craftedBytes(extents: readonly CraftedExtent[], position: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  let start = 0
  for (const extent of extents) {
    if (extent.kind === 'recorded' && extent.marker) {
      for (const [at, bytes] of [
        [start, extent.marker],
        [start + extent.length - extent.marker.length, extent.marker],
      ] as const) {
        for (let i = 0; i < bytes.length; i++) {
          const p = at + i - position
          if (p >= 0 && p < length) out[p] = bytes[i]
        }
      }
    }
    start += extent.length
  }
  return out
}

describe('UDF 2.50 with a metadata partition, and files over 4 GiB (crafted images)', () => {
  const dir = tempDir('imaging-udf250-')
  const wimExtents: CraftedExtent[] = [
    { kind: 'recorded', length: GIB_EXTENT, marker: marker(11) },
    { kind: 'recorded', length: GIB_EXTENT, marker: marker(12) },
    { kind: 'unallocated', length: GIB_EXTENT },
    { kind: 'recorded', length: GIB_EXTENT, marker: marker(13) },
    { kind: 'allocated', length: 100 * 2048 },
    { kind: 'recorded', length: 123_457, marker: marker(14) },
  ]
  const wimSize = wimExtents.reduce((total, e) => total + e.length, 0)
  const data = pseudoRandomBytes(10_000, 21)
  const longName = `${'x'.repeat(250)}.bin`
  const tree: CraftedNode[] = [
    { type: 'file', name: 'embedded.txt', content: new TextEncoder().encode('data inside the ICB'), embedded: true },
    { type: 'file', name: 'data.bin', content: data },
    { type: 'file', name: 'Latin ñame Ä.txt', content: pseudoRandomBytes(5, 22) },
    { type: 'file', name: '漢字 😀.txt', content: pseudoRandomBytes(7, 23) },
    { type: 'file', name: longName, content: pseudoRandomBytes(9, 24) },
    { type: 'dir', name: 'inline', embedded: true, children: [{ type: 'file', name: 'a.txt', content: pseudoRandomBytes(11, 25) }] },
    { type: 'dir', name: 'sources', children: [{ type: 'extents', name: 'install.wim', size: wimSize, extents: wimExtents, continueAfter: 2 }] },
  ]

  for (const revision of [0x0250, 0x0201, 0x0102]) {
    const label = revision.toString(16).padStart(4, '0').replace(/^(..)/, '$1.').replace(/^0/, '')
    it(`reads UDF ${label}: names in 8 and 16 bits, embedded data, inline directories, a ${wimSize}-byte file`, async () => {
      const path = join(dir, `crafted-${label}.img`)
      craftUdfImage(path, tree, { revision, label: 'CRAFTED' })
      const image = await openIso(path)
      try {
        expect(image).toMatchObject({ kind: 'udf', udfRevision: label, volumeLabel: 'CRAFTED', available: ['udf'] })
        expect((await collect(image)).map((e) => [e.path, e.isDirectory ? 'dir' : e.size])).toEqual([
          ['data.bin', 10_000],
          ['embedded.txt', 19],
          ['inline', 'dir'],
          ['inline/a.txt', 11],
          ['Latin ñame Ä.txt', 5],
          ['sources', 'dir'],
          ['sources/install.wim', wimSize],
          [longName, 9],
          ['漢字 😀.txt', 7],
        ])
        expect((await image.stat('DATA.BIN'))?.modified).toEqual(new Date('2022-03-04T05:06:07Z'))
        await expectPositionalReads(image, 'data.bin', data, [0, 2047, 2048, 9999])
        const read = async (name: string) => {
          const chunks: Uint8Array[] = []
          for await (const chunk of image.stream(name)) chunks.push(chunk)
          return Buffer.concat(chunks).toString()
        }
        expect(await read('embedded.txt')).toBe('data inside the ICB')
        // Reads straddling every extent boundary, the hole, the continuation and the end.
        const wim = await image.open('sources/install.wim')
        let boundary = 0
        for (const extent of wimExtents) {
          for (const position of [boundary - 2500, boundary - 1, boundary + 1, boundary + extent.length - 3001]) {
            if (position < 0 || position >= wimSize) continue
            const buffer = new Uint8Array(5003)
            const got = await wim.read(buffer, position)
            const want = Math.min(buffer.length, wimSize - position)
            expect(got, `read at ${position}`).toBe(want)
            expect(Buffer.from(buffer.subarray(0, got)).equals(craftedBytes(wimExtents, position, got)), `bytes at ${position}`).toBe(true)
          }
          boundary += extent.length
        }
        expect(await wim.read(new Uint8Array(10), wimSize)).toBe(0)
      } finally {
        await image.close()
      }
    })
  }

  it.skipIf(missingTool('7z', 'p7zip-full'))('7-Zip reads the crafted UDF 2.50 image the same way (names, sizes, bytes)', async () => {
    // 7-Zip reads metadata partitions but not holes or allocation extent descriptors, so its
    // image has a fully recorded file over 4 GiB instead.
    const path = join(dir, 'crafted-7z.img')
    const recorded: CraftedExtent[] = Array.from({ length: 4 }, (_, i) => ({ kind: 'recorded' as const, length: GIB_EXTENT, marker: marker(30 + i) }))
    recorded.push({ kind: 'recorded', length: 5000, marker: marker(34) })
    const size = recorded.reduce((total, e) => total + e.length, 0)
    craftUdfImage(path, [...tree.slice(0, 6), { type: 'dir', name: 'sources', children: [{ type: 'extents', name: 'install.wim', size, extents: recorded }] }], { revision: 0x0250 })
    const listing = run('7z', ['l', '-slt', path])
    expect(listing).not.toMatch(/Error/)
    const listed = [...listing.matchAll(/^Path = (.+)\nFolder = (.)\nSize = (\d*)/gm)].map(([, p, folder, s]) => [p, folder === '+' ? 'dir' : Number(s)])
    const image = await openIso(path)
    try {
      const ours = (await collect(image)).map((e) => [e.path, e.isDirectory ? 'dir' : e.size])
      expect(listed.sort()).toEqual([...ours].sort())
      const out = join(dir, '7z-out')
      mkdirSync(out, { recursive: true })
      run('7z', ['x', '-y', `-o${out}`, path, '-x!sources'])
      const small = expectedEntries(out).filter((e) => !e.isDirectory)
      expect(small.length).toBe(6)
      for (const entry of small) {
        const chunks: Uint8Array[] = []
        for await (const chunk of image.stream(entry.path)) chunks.push(chunk)
        expect(Buffer.concat(chunks).equals(readFileSync(join(out, entry.path))), entry.path).toBe(true)
      }
      const wim = await image.open('sources/install.wim')
      const tail = new Uint8Array(5000)
      expect(await wim.read(tail, size - 5000)).toBe(5000)
      expect(Buffer.from(tail).equals(craftedBytes(recorded, size - 5000, 5000))).toBe(true)
    } finally {
      await image.close()
    }
  })
})

const largeTests = Boolean(process.env.IMAGING_LARGE_TESTS) && !missingTool('genisoimage', 'genisoimage')

describe.skipIf(!largeTests)(
  'a real 4.5 GB UDF image from genisoimage (IMAGING_LARGE_TESTS=1: about 4.5 GB of disk and 20 s)',
  () => {
    // Made only when the suite runs: a skipped suite's afterAll, which removes it, never runs.
    const dir = largeTests ? tempDir('imaging-udf-large-') : ''

    it('reads install.wim past 4 GiB through UDF, where ISO 9660 and Joliet can only show it cut short', async () => {
      const size = 4_500_000_000
      const markers = new Map<number, Uint8Array>([0, 2 ** 30 - 1000, 2 ** 30 + 12_345, 2 ** 32 - 2000, 2 ** 32 + 77, size - 3000].map((at, i) => [at, pseudoRandomBytes(3000, 40 + i)]))
      const expected = (position: number, length: number) => {
        const out = new Uint8Array(length)
        for (const [at, bytes] of markers) {
          for (let i = 0; i < bytes.length; i++) if (at + i >= position && at + i < position + length) out[at + i - position] = bytes[i]
        }
        return out
      }
      const src = join(dir, 'src')
      mkdirSync(join(src, 'sources'), { recursive: true })
      const wimPath = join(src, 'sources/install.wim')
      const fd = openSync(wimPath, 'w')
      ftruncateSync(fd, size)
      for (const [at, bytes] of markers) writeSync(fd, bytes, 0, bytes.length, at)
      closeSync(fd)
      const iso = join(dir, 'large.iso')
      run('genisoimage', ['-quiet', '-allow-limited-size', '-udf', '-J', '-o', iso, src])
      const image = await openIso(iso)
      try {
        expect(image.kind).toBe('udf')
        expect(await image.stat('sources/install.wim')).toMatchObject({ size })
        const file = await image.open('sources/install.wim')
        for (const at of markers.keys()) {
          for (const position of [at - 1500, at + 1]) {
            if (position < 0) continue
            const buffer = new Uint8Array(4099)
            const got = await file.read(buffer, position)
            expect(got).toBe(Math.min(4099, size - position))
            expect(Buffer.from(buffer.subarray(0, got)).equals(expected(position, got)), `bytes at ${position}`).toBe(true)
          }
        }
      } finally {
        await image.close()
      }
      for (const filesystem of ['joliet', 'iso9660'] as const) {
        const side = await openIso(iso, { filesystem })
        try {
          expect((await side.stat('sources/install.wim'))?.size).toBe(size % 2 ** 32)
        } finally {
          await side.close()
        }
      }
    }, 180_000)
  },
)
