import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { openIso, type IsoKind } from '../../../src/main/fs/iso/iso-image'
import { descriptorCrc } from '../../../src/main/fs/udf/descriptor-tag'
import { missingTool } from '../../support/tools'
import { tempDir } from '../../support/temp'
import { BOOT_OPTIONS, collect, genisoimageBridge, walkIso, makeSourceTree, pseudoRandomBytes, run } from './support/fixtures'
import { craftUdfImage, osta, type CraftedNode } from './support/udf-builder'

const SECTOR = 2048
const WIM_SIZE = 3 * 1024 * 1024 + 777

/**
 * Sectors holding a UDF tag with identifier `id`, found without our reader: volume structures
 * name their own sector; partition structures are picked out by `also`.
 */
function sectorsWithTag(image: Buffer, id: number, also: (sector: Buffer, index: number) => boolean = (bytes, index) => bytes.readUInt32LE(12) === index): number[] {
  const found: number[] = []
  for (let sector = 0; (sector + 1) * SECTOR <= image.length; sector++) {
    const bytes = image.subarray(sector * SECTOR, (sector + 1) * SECTOR)
    let sum = 0
    for (let i = 0; i < 16; i++) if (i !== 4) sum += bytes[i]
    if (bytes.readUInt16LE(0) === id && (sum & 0xff) === bytes[4] && also(bytes, sector)) found.push(sector)
  }
  return found
}

/** Recomputes a descriptor's CRC and tag checksum after a deliberate edit, so only the edit is wrong. */
function resealTag(image: Buffer, offset: number): void {
  const crcLength = image.readUInt16LE(offset + 10)
  image.writeUInt16LE(descriptorCrc(image.subarray(offset + 16, offset + 16 + crcLength)), offset + 8)
  let sum = 0
  for (let i = 0; i < 16; i++) if (i !== 4) sum += image[offset + i]
  image[offset + 4] = sum & 0xff
}

/** Reads everything a copier would: the listing, every file's bytes, the boot catalog. */
async function readEverything(path: string, filesystem?: IsoKind): Promise<void> {
  const image = await openIso(path, filesystem ? { filesystem } : {})
  try {
    for (const entry of await collect(image)) {
      if (!entry.isDirectory) for await (const chunk of image.stream(entry.path)) expect(chunk.length).toBeGreaterThan(0)
    }
    await image.bootCatalog()
  } finally {
    await image.close()
  }
}

async function expectCorrupt(promise: Promise<unknown>, structure: string | RegExp, offset?: number): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error, 'expected a CORRUPT error').toBeInstanceOf(AppError)
  const appError = error as AppError
  expect(appError.code, appError.message).toBe('CORRUPT')
  expect(appError.details?.structure).toMatch(structure)
  if (offset !== undefined) expect(appError.details?.offset).toBe(offset)
  expect(appError.message).toContain(appError.details?.path as string)
  return appError
}

describe.skipIf(missingTool('genisoimage', 'genisoimage'))('damaged UDF bridge images', () => {
  const dir = tempDir('imaging-corrupt-udf-')
  const src = join(dir, 'src')
  const pristinePath = join(dir, 'pristine.iso')
  let pristine: Buffer

  beforeAll(() => {
    makeSourceTree(src)
    genisoimageBridge(src, pristinePath)
    pristine = readFileSync(pristinePath)
  })

  function variant(name: string, edit: (image: Buffer) => void): string {
    const image = Buffer.from(pristine)
    edit(image)
    const path = join(dir, `${name}.iso`)
    writeFileSync(path, image)
    return path
  }

  it('falls back to the last anchor when the one at sector 256 is damaged, and fails naming it when all are', async () => {
    const lastSector = pristine.length / SECTOR - 1
    // genisoimage also repeats the anchor through its trailing padding.
    const anchors = sectorsWithTag(pristine, 2)
    expect(anchors).toEqual(expect.arrayContaining([256, lastSector]))
    await readEverything(variant('anchor-256', (image) => (image[256 * SECTOR + 20] ^= 0xff)))
    const error = await expectCorrupt(
      openIso(variant('anchors', (image) => anchors.forEach((sector) => (image[sector * SECTOR + 1] ^= 0x40)))),
      'UDF anchor volume descriptor pointer',
      256 * SECTOR,
    )
    expect(error.message).toMatch(/no valid anchor/)
  })

  it('uses the reserve volume descriptor sequence when the main one is damaged', async () => {
    const [mainLvd, reserveLvd] = sectorsWithTag(pristine, 6)
    expect(reserveLvd).toBeGreaterThan(mainLvd)
    await readEverything(variant('main-lvd', (image) => (image[mainLvd * SECTOR + 100] ^= 1)))
    const error = await expectCorrupt(
      openIso(
        variant('both-lvd', (image) => {
          image[mainLvd * SECTOR + 100] ^= 1
          image[reserveLvd * SECTOR + 100] ^= 1
        }),
      ),
      'UDF volume descriptor',
      mainLvd * SECTOR,
    )
    expect(error.message).toMatch(/CRC/)
  })

  it('names the file entry whose bytes were flipped', async () => {
    const [entry] = sectorsWithTag(pristine, 261, (s) => s.readBigUInt64LE(56) === BigInt(WIM_SIZE))
    const path = variant('file-entry', (image) => (image[entry * SECTOR + 40] ^= 0x10))
    const image = await openIso(path)
    try {
      expect(await image.stat('setup.exe')).not.toBeNull()
      await expectCorrupt(image.stat('sources/install.wim'), 'UDF file entry', entry * SECTOR)
      await expectCorrupt(collect(image), 'UDF file entry', entry * SECTOR)
    } finally {
      await image.close()
    }
  })

  it('refuses an extent that leaves its partition when the file is opened, and an image cut short when it is opened', async () => {
    const [entry] = sectorsWithTag(pristine, 261, (s) => s.readBigUInt64LE(56) === BigInt(WIM_SIZE))
    const wild = variant('wild-extent', (image) => {
      const adAt = entry * SECTOR + 176 + image.readUInt32LE(entry * SECTOR + 168)
      image.writeUInt32LE(0x7fff0000, adAt + 4)
      resealTag(image, entry * SECTOR)
    })
    const image = await openIso(wild)
    try {
      expect(await image.stat('sources/install.wim')).toMatchObject({ size: WIM_SIZE })
      const error = await expectCorrupt(image.open('sources/install.wim'), 'UDF allocation descriptor')
      expect(error.message).toMatch(/ends past the end of its \d+-block partition/)
    } finally {
      await image.close()
    }

    const wimAt = pristine.indexOf(readFileSync(join(src, 'sources/install.wim')).subarray(0, 64))
    const truncated = variant('truncated', () => {})
    truncateSync(truncated, wimAt + 1024 * 1024)
    // Found from the volume's own size before any file is read: a long job must not discover it halfway.
    const error = await expectCorrupt(openIso(truncated), 'ISO 9660 primary volume descriptor', 16 * SECTOR + 80)
    expect(error.message).toMatch(/the file has only \d+: the image is truncated/)
    // Without its ISO 9660 side, the UDF reader still refuses an extent past the end of the image.
    const udfOnly = await openIso(truncated, { filesystem: 'udf' }).catch((e: unknown) => e)
    expect(udfOnly).toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/truncated/) })
    const stub = variant('stub', () => {})
    truncateSync(stub, 100 * 1024)
    await expectCorrupt(openIso(stub), /ISO 9660 primary volume descriptor|UDF anchor volume descriptor pointer/)
  })

  it('never crashes or hangs on random damage: every failure is an AppError', async () => {
    // Flip bytes in place across the structures (descriptors, anchor, directories, entries) of
    // a real image of a small tree, read everything through every file system, put them back.
    const small = join(dir, 'small')
    makeSourceTree(small)
    rmSync(join(small, 'sources/install.wim'))
    const path = join(dir, 'fuzz.iso')
    genisoimageBridge(small, path)
    const original = readFileSync(path)
    // Aim at the structures: sectors with content, from the volume descriptors up to the first file's data.
    const dataStart = Math.min(...['boot/etfsboot.com', 'efi/boot/bootx64.efi'].map((file) => original.indexOf(readFileSync(join(small, file)).subarray(0, 64))))
    const targets: number[] = []
    for (let sector = 16; (sector + 1) * SECTOR <= dataStart; sector++) {
      if (original.subarray(sector * SECTOR, sector * SECTOR + 512).some((byte) => byte !== 0)) targets.push(sector)
    }
    const random = Buffer.from(pseudoRandomBytes(5 * 300, 99))
    const failures = new Map<string, number>()
    const handle = await open(path, 'r+')
    try {
      for (let round = 0; round < 300; round++) {
        const offset = targets[random.readUInt16BE(round * 5) % targets.length] * SECTOR + (random.readUInt16BE(round * 5 + 2) % 512)
        await handle.write(Uint8Array.of(original[offset] ^ (random[round * 5 + 4] | 1)), 0, 1, offset)
        for (const filesystem of [undefined, 'joliet', 'iso9660'] as const) {
          try {
            await readEverything(path, filesystem)
          } catch (error) {
            expect(error, `round ${round} at byte ${offset}: ${String(error)}`).toBeInstanceOf(AppError)
            const code = (error as AppError).code
            failures.set(code, (failures.get(code) ?? 0) + 1)
          }
        }
        await handle.write(original, offset, 1, offset)
      }
    } finally {
      await handle.close()
    }
    // Many flips land where nothing checks them (ISO 9660 has no checksums); UDF's catch most.
    expect(failures.get('CORRUPT') ?? 0).toBeGreaterThan(30)
    expect([...failures.keys()].every((code) => ['CORRUPT', 'UNSUPPORTED', 'CONFLICT', 'NOT_FOUND', 'VALIDATION'].includes(code))).toBe(true)
  })
})

describe.skipIf(missingTool('xorriso', 'xorriso'))('damaged ISO 9660 and Joliet images', () => {
  const dir = tempDir('imaging-corrupt-iso-')
  const src = join(dir, 'src')
  const plainPath = join(dir, 'plain.iso')
  const jolietPath = join(dir, 'joliet.iso')
  let plain: Buffer
  let joliet: Buffer

  beforeAll(() => {
    makeSourceTree(src)
    run('xorriso', ['-report_about', 'WARNING', '-rockridge', 'off', '-joliet', 'off', '-outdev', plainPath, '-map', src, '/'])
    run('xorriso', ['-as', 'mkisofs', '-quiet', '-J', '-R', ...BOOT_OPTIONS, '-o', jolietPath, src])
    plain = readFileSync(plainPath)
    joliet = readFileSync(jolietPath)
  })

  function variant(from: Buffer, name: string, edit: (image: Buffer) => void): string {
    const image = Buffer.from(from)
    edit(image)
    const path = join(dir, `${name}.iso`)
    writeFileSync(path, image)
    return path
  }

  /** Byte offset of the directory record naming `identifier` in the primary tree. */
  function recordOf(image: Buffer, identifier: string): number {
    const at = image.indexOf(Buffer.from(identifier, 'latin1'))
    expect(at).toBeGreaterThan(0)
    return at - 33
  }

  it('detects a directory that contains its own ancestor', async () => {
    const rootExtent = plain.readUInt32LE(16 * SECTOR + 156 + 2)
    const record = recordOf(plain, 'LEVEL1')
    const looped = variant(plain, 'loop', (image) => {
      image.writeUInt32LE(rootExtent, record + 2)
      image.writeUInt32BE(rootExtent, record + 6)
    })
    const error = await expectCorrupt(walkIso(looped), 'ISO 9660 directory record', record)
    expect(error.message).toMatch(/LEVEL0\/LEVEL1 is its own ancestor \/: a directory loop/)
  })

  it('detects a directory linked from two places', async () => {
    const boot = recordOf(plain, 'BOOT')
    const empty = recordOf(plain, 'EMPTYDIR')
    const linked = variant(plain, 'linked-twice', (image) => image.copy(image, empty + 2, boot + 2, boot + 18))
    const error = await expectCorrupt(walkIso(linked), 'ISO 9660 directory record', empty)
    expect(error.message).toMatch(/EMPTYDIR is also linked from another place/)
  })

  it('refuses a file whose length runs past the image, and a directory placed past it', async () => {
    const wim = recordOf(plain, 'INSTALL.WIM;1')
    const long = variant(plain, 'long-file', (image) => image.writeUInt32LE(0xfffff000, wim + 10))
    const image = await openIso(long)
    try {
      const error = await expectCorrupt(image.open('sources/install.wim'), 'ISO 9660 directory record', wim)
      expect(error.message).toMatch(/ends past the end/)
    } finally {
      await image.close()
    }
    const sources = recordOf(plain, 'SOURCES')
    const away = variant(plain, 'far-directory', (image) => image.writeUInt32LE(0x00ffffff, sources + 2))
    await expectCorrupt(walkIso(away), 'ISO 9660 directory', 0x00ffffff * SECTOR)
  })

  it('refuses a record whose length does not fit the directory', async () => {
    const record = recordOf(plain, 'SETUP.EXE;1')
    const bad = variant(plain, 'record-length', (image) => (image[record] = 20))
    await expectCorrupt(walkIso(bad), 'ISO 9660 directory', record)
  })

  it('refuses hostile names in the Joliet tree, naming them', async () => {
    const name = Buffer.from('setup.exe', 'utf16le').swap16()
    const at = joliet.indexOf(name)
    expect(at).toBeGreaterThan(0)
    const slash = variant(joliet, 'joliet-slash', (image) => image.write('/', at + 7, 'latin1'))
    const error = await expectCorrupt(walkIso(slash), 'ISO 9660 directory record', at - 33)
    expect(error.message).toContain('refusing the name "set/p.exe" in /: it contains a path separator')
    const dots = variant(joliet, 'joliet-dots', (image) => {
      image[at - 1] = 4
      Buffer.from('..', 'utf16le').swap16().copy(image, at)
    })
    await expectCorrupt(walkIso(dots), 'ISO 9660 directory record', at - 33)
  })

  it('checks the El Torito catalog before trusting it', async () => {
    const catalog = joliet.readUInt32LE(17 * SECTOR + 71)
    const broken = variant(joliet, 'catalog', (image) => (image[catalog * SECTOR + 4] ^= 0xff))
    const image = await openIso(broken)
    try {
      await expectCorrupt(image.bootCatalog(), 'El Torito validation entry', catalog * SECTOR)
    } finally {
      await image.close()
    }
  })
})

describe('files that are not ISO images', () => {
  const dir = tempDir('imaging-not-iso-')

  it('says so, and says why, instead of guessing', async () => {
    const random = join(dir, 'random.bin')
    writeFileSync(random, pseudoRandomBytes(1024 * 1024, 5))
    await expect(openIso(random)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/is not an ISO image/) })
    const empty = join(dir, 'empty.iso')
    writeFileSync(empty, new Uint8Array(0))
    await expect(openIso(empty)).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(openIso(dir)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/not a regular file/) })
    await expect(openIso(join(dir, 'missing.iso'))).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('hostile crafted UDF trees', () => {
  const dir = tempDir('imaging-corrupt-crafted-')

  function crafted(name: string, tree: CraftedNode[]): string {
    const path = join(dir, `${name}.img`)
    craftUdfImage(path, tree, { revision: 0x0250 })
    return path
  }

  it('refuses names that would escape or be misread on Windows, naming each', async () => {
    const hostile: [Uint8Array, string][] = [
      [osta('..'), 'it names a directory relative to itself'],
      [osta('.'), 'it names a directory relative to itself'],
      [osta('a/b'), 'it contains a path separator'],
      [osta('a\\b'), 'it contains a path separator'],
      [Uint8Array.of(8, 0x61, 0, 0x62), 'it contains NUL'],
      [osta('NUL'), 'it is the Windows device name NUL'],
      [osta('com1.txt'), 'it is the Windows device name COM1'],
      [osta('Lpt1'), 'it is the Windows device name LPT1'],
      [osta('trailing.'), 'it ends with a dot or a space'],
      [osta(''), 'it is empty'],
      [Uint8Array.of(16, 0xd8, 0x00), 'it contains an unpaired UTF-16 surrogate'],
    ]
    for (const [index, [name, reason]] of hostile.entries()) {
      const path = crafted(`name-${index}`, [{ type: 'dir', name: 'sub', children: [{ type: 'raw-name', name, content: Uint8Array.of(1) }] }])
      const error = await expectCorrupt(walkIso(path), 'UDF file identifier')
      expect(error.message, reason).toContain(`in /sub: ${reason}`)
    }
  })

  it('refuses a name in an unknown encoding, and two names Windows would merge', async () => {
    await expectCorrupt(walkIso(crafted('encoding', [{ type: 'raw-name', name: Uint8Array.of(7, 0x41), content: Uint8Array.of(1) }])), 'UDF file identifier')
    const twins = crafted('twins', [
      { type: 'file', name: 'readme.txt', content: Uint8Array.of(1) },
      { type: 'file', name: 'README.TXT', content: Uint8Array.of(2) },
    ])
    await expect(walkIso(twins)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/readme\.txt and README\.TXT would be the same file on Windows/) })
  })

  it('detects directory loops through file identifiers', async () => {
    const self = crafted('loop-self', [{ type: 'dir', name: 'sub', children: [{ type: 'up-link', name: 'again', target: 0 }] }])
    const error = await expectCorrupt(walkIso(self), 'UDF file identifier')
    expect(error.message).toMatch(/sub\/again is its own ancestor \/sub: a directory loop/)
    const root = crafted('loop-root', [{ type: 'dir', name: 'a', children: [{ type: 'dir', name: 'b', children: [{ type: 'up-link', name: 'top', target: 2 }] }] }])
    const image = await openIso(root)
    try {
      await expectCorrupt(image.stat('a/b/top/a'), 'UDF file identifier')
    } finally {
      await image.close()
    }
  })

  it('reads the metadata mirror when the metadata file is damaged, and names the damage when both are', async () => {
    const tree: CraftedNode[] = [{ type: 'file', name: 'kept.txt', content: Uint8Array.of(1, 2, 3) }]
    const path = crafted('metadata', tree)
    const image = readFileSync(path)
    const partitionStart = 257
    const [main, mirror] = [partitionStart, partitionStart + 1]
    for (const [sector, fileType] of [[main, 250], [mirror, 251]]) expect(image[sector * SECTOR + 16 + 11]).toBe(fileType)
    image[main * SECTOR + 100] ^= 1
    writeFileSync(path, image)
    expect((await walkIso(path)).map((e) => e.path)).toEqual(['kept.txt'])
    image[mirror * SECTOR + 100] ^= 1
    writeFileSync(path, image)
    await expectCorrupt(openIso(path), 'UDF file entry', main * SECTOR)
  })

  it('stops at allocation extent descriptors that lead back to themselves', async () => {
    const path = crafted('aed-loop', [
      {
        type: 'extents',
        name: 'looped.bin',
        size: 8192,
        continueAfter: 1,
        extents: [
          { kind: 'recorded', length: 4096 },
          { kind: 'recorded', length: 4096 },
        ],
      },
    ])
    const image = readFileSync(path)
    const [aed] = sectorsWithTag(image, 258, () => true)
    const at = aed * SECTOR
    image.writeUInt32LE(((3 << 30) | SECTOR) >>> 0, at + 24)
    image.writeUInt32LE(image.readUInt32LE(at + 12), at + 28)
    resealTag(image, at)
    writeFileSync(path, image)
    const tree = await openIso(path)
    try {
      expect(await tree.stat('looped.bin')).toMatchObject({ size: 8192 })
      const error = await expectCorrupt(tree.open('looped.bin'), 'UDF allocation descriptor', at)
      expect(error.message).toMatch(/loop back/)
    } finally {
      await tree.close()
    }
  })
})
