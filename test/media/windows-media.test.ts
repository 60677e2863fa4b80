import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openFolder } from '../../src/main/fs/folder-tree'
import { openIso } from '../../src/main/fs/iso/iso-image'
import { WorkerPool } from '../../src/main/jobs/worker-pool'
import { prepareInstallImage } from '../../src/main/media/install-image'
import { inspectWindowsMedia } from '../../src/main/media/windows-media'
import { quietContext } from '../support/context'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { wimlib } from '../support/wim-fixtures'
import { buildWindowsLikeTree, makeIso } from '../support/windows-iso'

const pool = new WorkerPool({ size: 2 })
afterAll(() => pool.close())

describe.skipIf(missingTool('wimlib-imagex', 'wimtools') || missingTool('genisoimage', 'genisoimage'))('Windows media', () => {
  const dir = tempDir()
  const tree = join(dir, 'media')
  const iso = join(dir, 'windows.iso')
  beforeAll(() => {
    buildWindowsLikeTree(tree, { compress: 'none', payloadBytes: 600_000 })
    makeIso(tree, iso)
  })

  it('recognises an ISO as Windows media and reads its editions through the WIM engine', async () => {
    const image = await openIso(iso)
    try {
      const media = await inspectWindowsMedia(image)
      expect(media.install).toMatchObject({ format: 'wim', files: [{ path: 'sources/install.wim' }] })
      expect(media.editions.map((e) => e.name)).toEqual(['Windows 11 Home', 'Windows 11 Pro', 'Windows 11 Education'])
      expect(media).toMatchObject({ bootWim: 'sources/boot.wim', uefi: ['x64'], bios: true })
    } finally {
      await image.close()
    }
  })

  it('says plainly when a tree is not Windows media', async () => {
    const folder = await openFolder(join(tree, 'boot'))
    await expect(inspectWindowsMedia(folder)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/not Windows installation media: it has no sources\/install\.wim/) })
    await folder.close()
  })

  it('keeps the install image as it is when it fits', async () => {
    const image = await openIso(iso)
    try {
      const prepared = await prepareInstallImage(image, await inspectWindowsMedia(image), { tempRoot: dir, pool, ctx: quietContext() })
      expect(prepared.files.map((f) => f.name)).toEqual(['install.wim'])
      expect(prepared.action).toMatch(/as it is/)
    } finally {
      await image.close()
    }
  })

  it('exports the chosen editions and splits what FAT32 could not hold, into parts wimlib joins', async () => {
    const image = await openIso(iso)
    try {
      const prepared = await prepareInstallImage(image, await inspectWindowsMedia(image), { editions: ['Windows 11 Pro', 3], maxFileBytes: 700_000, tempRoot: dir, pool, ctx: quietContext() })
      expect(prepared.action).toMatch(/2 of 3 editions exported.*split into \d+ parts/)
      expect(prepared.files[0]!.name).toBe('install.swm')
      expect(prepared.files.length).toBeGreaterThan(1)
      const out = join(dir, 'parts')
      mkdirSync(out)
      for (const file of prepared.files) {
        const part = await file.open()
        const bytes = new Uint8Array(part.size)
        expect(await part.read(bytes, 0)).toBe(part.size)
        await part.close()
        writeFileSync(join(out, file.name), bytes)
      }
      wimlib(['join', join(dir, 'joined.wim'), ...prepared.files.map((f) => join(out, f.name))])
      expect(wimlib(['info', join(dir, 'joined.wim')])).toMatch(/Image Count:\s+2/)
      expect(wimlib(['verify', join(dir, 'joined.wim')])).toMatch(/(verified|OK)/i)
      await prepared.cleanup()
      expect(readdirSync(dir).filter((n) => n.startsWith('imaging-media-'))).toEqual([])
    } finally {
      await image.close()
    }
  })
})
