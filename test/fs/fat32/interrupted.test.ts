import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { AppError } from '../../../src/shared/errors'
import { openFat32, planFat32, writeFat32, type FatSourceEntry, type WriteFat32Options } from '../../../src/main/fs/fat32'
import { tempDir } from '../../support/temp'
import { missingTool, toolPath } from '../../support/tools'
import { runTool } from '../../../src/main/platform/run-tool'
import { MTOOLS_ENV, MiB, SMALL_VOLUME, T0, buildVolume, file, fsck } from './fixtures'

/**
 * A write that stops part way, over a region that held a valid volume, must leave nothing
 * a tool would take for a volume: no boot sector, no backup boot sector.
 */
describe.skipIf(missingTool('fsck.fat', 'dosfstools') || missingTool('mdir', 'mtools'))('an interrupted write', () => {
  const dir = tempDir('fat32-interrupted-')
  const offset = MiB

  async function rewrite(name: string, entries: FatSourceEntry[], options: (controller: AbortController) => WriteFat32Options): Promise<{ image: string; error: unknown }> {
    const image = join(dir, `${name}.img`)
    await buildVolume(image, { entries: [file('old.txt', 100)], offset, label: 'OLD' })
    const plan = planFat32({ sizeBytes: SMALL_VOLUME, entries, now: T0, label: 'NEW' })
    const target = await FileTarget.openExisting(image, { writable: true })
    const controller = new AbortController()
    const error = await writeFat32(target, offset, plan, options(controller)).then(
      () => undefined,
      (e: unknown) => e,
    )
    await target.close()
    return { image, error }
  }

  async function expectNoVolume(image: string): Promise<void> {
    const target = await FileTarget.openExisting(image, { writable: false })
    const sectors = new Uint8Array(7 * 512)
    await target.read(sectors, offset)
    expect(sectors.subarray(0, 512).every((b) => b === 0)).toBe(true)
    expect(sectors.subarray(6 * 512).every((b) => b === 0)).toBe(true)
    await expect(openFat32(target, offset)).rejects.toMatchObject({ code: 'CORRUPT', details: { structure: 'FAT32 boot sector' } })
    await target.close()
    expect((await fsck({ image, offset }, SMALL_VOLUME)).exitCode).not.toBe(0)
    const mdir = await runTool(toolPath('mdir'), ['-i', `${image}@@${offset}`, '::/'], { env: MTOOLS_ENV })
    expect(mdir.exitCode).not.toBe(0)
  }

  it('stops once the blocks already being written are done when cancelled', async () => {
    const entries = [file('a.bin', 12 * MiB), file('b.bin', 6 * MiB)]
    const progress: number[] = []
    const { image, error } = await rewrite('cancelled', entries, (controller) => ({
      signal: controller.signal,
      onProgress: (done) => {
        progress.push(done)
        controller.abort(new AppError('CANCELLED', 'Cancelled by the user'))
      },
    }))
    expect(error).toMatchObject({ code: 'CANCELLED' })
    // The first block (up to the next 1 MiB boundary of the image) went out, then the cancel
    // came; of the 18 MiB only the blocks already handed to the target (the writer's 4) end.
    expect(progress[0]).toBe(2 * MiB - offset)
    expect(progress.length).toBeLessThanOrEqual(4)
    expect(progress.at(-1)).toBe(progress.length * MiB)
    await expectNoVolume(image)
  })

  it('writes nothing that looks like a volume when cancelled before it starts', async () => {
    const { image, error } = await rewrite('precancelled', [file('a.bin', 1000)], (controller) => {
      controller.abort()
      return { signal: controller.signal }
    })
    expect(error).toMatchObject({ code: 'CANCELLED' })
    await expectNoVolume(image)
  })

  it('passes on a failing source and leaves no volume', async () => {
    const failing: FatSourceEntry = {
      path: 'install.swm',
      kind: 'file',
      size: 10 * MiB,
      async *open() {
        yield new Uint8Array(5 * MiB)
        throw new AppError('IO', 'read error in install.swm')
      },
    }
    const { image, error } = await rewrite('failed', [failing], () => ({}))
    expect(error).toMatchObject({ code: 'IO', message: 'read error in install.swm' })
    await expectNoVolume(image)
  })

  it('closes every source it opened, including those read ahead, when a source fails', async () => {
    let opened = 0
    let closed = 0
    const entries: FatSourceEntry[] = Array.from({ length: 50 }, (_, i) => ({
      path: `f${i}.txt`,
      kind: 'file',
      size: 100,
      async *open() {
        opened++
        try {
          if (i === 10) throw new AppError('IO', 'f10.txt is unreadable')
          yield new Uint8Array(100)
        } finally {
          closed++
        }
      },
    }))
    const { image, error } = await rewrite('sources-closed', entries, () => ({}))
    expect(error).toMatchObject({ message: 'f10.txt is unreadable' })
    expect(opened).toBeGreaterThan(11)
    expect(closed).toBe(opened)
    await expectNoVolume(image)
  })

  it('fails with the error of a source that cannot be opened, and leaves no volume', async () => {
    const reached: string[] = []
    const entries: FatSourceEntry[] = [
      { path: 'first.bin', kind: 'file', size: 10, open: () => (reached.push('first.bin'), [new Uint8Array(10)]) },
      {
        path: 'missing.bin',
        kind: 'file',
        size: 10,
        open: () => {
          throw new AppError('NOT_FOUND', 'missing.bin is gone')
        },
      },
    ]
    const { image, error } = await rewrite('open-fails', entries, () => ({}))
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'missing.bin is gone' })
    expect(reached).toEqual(['first.bin'])
    await expectNoVolume(image)
  })

  it('refuses a source that gives fewer bytes than planned, naming it', async () => {
    const shrunk: FatSourceEntry = { path: 'boot/boot.sdi', kind: 'file', size: 3000, open: () => [new Uint8Array(2000)] }
    const { image, error } = await rewrite('short', [shrunk], () => ({}))
    expect(error).toMatchObject({ code: 'IO', details: { path: 'boot/boot.sdi', size: 3000 }, message: expect.stringMatching(/gave 2000 bytes/) })
    await expectNoVolume(image)
  })

  it('refuses a positional source of another size than planned, and closes it and those opened ahead', async () => {
    const closed: string[] = []
    const positional = (path: string, size: number, actual = size): FatSourceEntry => ({
      path,
      kind: 'file',
      size,
      open: async () => ({ size: actual, read: async (buffer: Uint8Array) => buffer.fill(1).length, close: async () => void closed.push(path) }),
    })
    const { image, error } = await rewrite('positional-size', [positional('a.bin', 100), positional('grown.bin', 3000, 3100), positional('c.bin', 100)], () => ({}))
    expect(error).toMatchObject({ code: 'IO', details: { path: 'grown.bin', size: 3000 }, message: expect.stringMatching(/gave 3100 bytes/) })
    expect(closed.sort()).toEqual(['a.bin', 'c.bin', 'grown.bin'])
    await expectNoVolume(image)
  })
})
