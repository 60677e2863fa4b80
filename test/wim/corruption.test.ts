import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/main/jobs/worker-pool'
import { WimArchive } from '../../src/main/wim/archive'
import { applyImage } from '../../src/main/wim/apply/apply-image'
import { generateBytes } from '../../src/main/jobs/tasks'
import { quietContext } from '../support/context'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { textBytes, wimlibCapture } from '../support/wim-fixtures'
import { dentryOffset, renameDentry, tamperMetadata } from '../support/wim-tamper'

const pool = new WorkerPool({ size: 2 })
afterAll(() => pool.close())

async function openAndRead(path: string): Promise<void> {
  const archive = await WimArchive.open(path)
  try {
    for (const image of archive.images) await archive.readImageTree(image.index)
    for (const blob of archive.blobs.values()) await archive.readBlob(blob)
  } finally {
    await archive.close()
  }
}

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('damaged and hostile WIMs', () => {
  const dir = tempDir()
  const source = join(dir, 'tree')
  const plain = join(dir, 'plain.wim')
  const compressed = join(dir, 'lzx.wim')
  beforeAll(() => {
    for (const [name, data] of [
      ['aaaaaaaaaa.txt', 'escape me'],
      ['bb', 'dots'],
      ['big.bin', textBytes(9, 200_000)],
    ] as const) {
      writeFileSync(join(dir, name), data)
    }
    mkdirSync(join(source, 'outer', 'inner'), { recursive: true })
    for (const name of ['aaaaaaaaaa.txt', 'bb', 'big.bin']) copyFileSync(join(dir, name), join(source, 'outer', name))
    wimlibCapture(source, plain, { compress: 'none' })
    wimlibCapture(source, compressed, { compress: 'lzx' })
  })

  const variant = (name: string, change: (bytes: Buffer) => Buffer, from = plain): string => {
    const path = join(dir, name)
    writeFileSync(path, change(readFileSync(from)))
    return path
  }

  it('names the file and the problem for something that is not a WIM', async () => {
    const path = variant('random.wim', () => Buffer.from(generateBytes(1, 4096)))
    await expect(WimArchive.open(path)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringContaining(`${path}: WIM header at offset 0: not a WIM file`) })
    const tiny = variant('tiny.wim', (b) => b.subarray(0, 100))
    await expect(WimArchive.open(tiny)).rejects.toMatchObject({ code: 'CORRUPT', details: { file: tiny, offset: 0 } })
  })

  it('refuses a truncated file, naming what runs past its end', async () => {
    const size = readFileSync(plain).length
    for (const keep of [size - 1, Math.floor(size / 2), 300]) {
      const path = variant(`cut-${keep}.wim`, (b) => b.subarray(0, keep))
      await expect(openAndRead(path)).rejects.toMatchObject({ code: 'CORRUPT', details: { file: path } })
    }
  })

  it('refuses offsets that point outside the file', async () => {
    const path = variant('bad-offset.wim', (b) => {
      b.writeBigUInt64LE(1n << 40n, 48 + 8)
      return b
    })
    await expect(WimArchive.open(path)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/blob table .* beyond the end of the file/) })
  })

  it('refuses a chunk table that does not add up, before decompressing anything', async () => {
    const archive = await WimArchive.open(compressed)
    const blob = [...archive.blobs.values()].find((b) => b.size === 200_000)!
    const offset = blob.location.kind === 'resource' ? blob.location.header.offset : 0
    await archive.close()
    const path = variant('bad-chunks.wim', (b) => {
      b.writeUInt32LE(0xfffffff0, offset + 4)
      return b
    }, compressed)
    const damaged = await WimArchive.open(path)
    try {
      await expect(damaged.locate(damaged.blob(blob.hash))).rejects.toMatchObject({ code: 'CORRUPT', details: { structure: 'chunk table' } })
    } finally {
      await damaged.close()
    }
  })

  it('refuses an image whose metadata fails its SHA-1', async () => {
    const path = join(dir, 'meta-flip.wim')
    copyFileSync(plain, path)
    const archive = await WimArchive.open(path)
    const location = archive.metadata[0]!.location
    await archive.close()
    const bytes = readFileSync(path)
    if (location.kind === 'resource') bytes[location.header.offset + 200] ^= 0xff
    writeFileSync(path, bytes)
    await expect(openAndRead(path)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/fails its SHA-1 check/) })
  })

  it('detects a directory loop instead of hanging', async () => {
    const path = join(dir, 'loop.wim')
    copyFileSync(plain, path)
    await tamperMetadata(path, (meta) => {
      const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength)
      const outer = dentryOffset(meta, 'outer')
      const inner = dentryOffset(meta, 'inner')
      // inner's children list becomes outer's: a cycle.
      view.setBigUint64(inner + 16, view.getBigUint64(outer + 16, true), true)
    })
    await expect(openAndRead(path)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/directory loop/) })
  })

  it('never writes outside the target for names that try to escape', async () => {
    const path = join(dir, 'hostile.wim')
    copyFileSync(plain, path)
    await tamperMetadata(path, (meta) => {
      renameDentry(meta, 'aaaaaaaaaa.txt', '../../escape12')
      renameDentry(meta, 'bb', '..')
    })
    const target = join(dir, 'hostile-out', 'a', 'b')
    const archive = await WimArchive.open(path)
    try {
      const report = await applyImage(archive, 1, target, { pool }, quietContext())
      expect(report.skipped.map((s) => s.reason)).toContain('it contains a path separator')
      expect(report.warnings.join('\n')).toMatch(/skipped a file named ".."/)
    } finally {
      await archive.close()
    }
    expect(existsSync(join(dir, 'escape12'))).toBe(false)
    expect(existsSync(join(dir, 'hostile-out', 'escape12'))).toBe(false)
    expect(readdirSync(join(target, 'outer')).sort()).toEqual(['big.bin', 'inner'])
  })
})
