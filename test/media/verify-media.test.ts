import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTarget } from '../../src/main/disk/byte-target'
import { openFat32 } from '../../src/main/fs/fat32'
import { BytesReader } from '../../src/main/io/random-access'
import type { MediaFile } from '../../src/main/media/media-files'
import { verifyMedia } from '../../src/main/media/verify-media'
import { buildVolume, directory, file, MiB, type FileFixture } from '../fs/fat32/fixtures'
import { tempDir } from '../support/temp'

const dir = tempDir('verify-media-')
const fixtures = [file('sources/install.wim', 3 * MiB + 5), file('setup.exe', 70_000), file('empty.txt', 0)]
const asMediaFile = (fixture: FileFixture): MediaFile => ({ path: fixture.path, size: fixture.data.length, open: async () => new BytesReader(fixture.path, fixture.data) })

async function medium(name: string, change?: (target: FileTarget) => Promise<void>) {
  const { image } = await buildVolume(join(dir, name), { entries: [directory('sources'), ...fixtures] })
  const target = await FileTarget.openExisting(image, { writable: true })
  await change?.(target)
  return target
}

function context() {
  const seen = { total: 0, done: 0 }
  return { seen, ctx: { signal: new AbortController().signal, setTotal: (n: number | null) => void (seen.total = n ?? 0), advance: (n: number) => void (seen.done += n) } }
}

describe('verifyMedia', () => {
  it('passes a medium that holds exactly its files, reading every byte of each', async () => {
    const target = await medium('good.img')
    const { seen, ctx } = context()
    try {
      await expect(verifyMedia(target, 0, fixtures.map(asMediaFile), ctx)).resolves.toMatch(/Read back 3 files .* each identical to its source/)
    } finally {
      await target.close()
    }
    expect(seen).toEqual({ total: 3 * MiB + 5 + 70_000, done: 3 * MiB + 5 + 70_000 })
  })

  it('names the file and the byte where the medium differs from the source', async () => {
    const target = await medium('changed.img', async (t) => {
      const extents = []
      for await (const extent of (await openFat32(t, 0)).extents('sources/install.wim')) extents.push(extent)
      // A byte in the third MiB of the file, wherever its clusters lie.
      let position = 0
      const third = extents.find((e) => (position += e.length) > 2 * MiB)!
      const at = third.offset + third.length - (position - 2 * MiB) + 7
      const byte = new Uint8Array(1)
      await t.read(byte, at)
      await t.write(Uint8Array.of(byte[0]! ^ 0xff), at)
    })
    try {
      await expect(verifyMedia(target, 0, fixtures.map(asMediaFile), context().ctx)).rejects.toMatchObject({
        code: 'IO',
        details: { path: 'sources/install.wim' },
        message: expect.stringContaining(`sources/install.wim differs from its source at byte ${2 * MiB + 7}`),
      })
    } finally {
      await target.close()
    }
  })

  it('refuses a medium with a file that was not written, or without one that was', async () => {
    const target = await medium('extra.img')
    try {
      const [install, setup, empty] = fixtures.map(asMediaFile)
      await expect(verifyMedia(target, 0, [install!, empty!], context().ctx)).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining('it holds setup.exe, which was not written') })
      const missing = { ...setup!, path: 'sources/boot.wim' }
      await expect(verifyMedia(target, 0, [install!, setup!, empty!, missing], context().ctx)).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining('1 file is missing (sources/boot.wim)') })
    } finally {
      await target.close()
    }
  })
})
