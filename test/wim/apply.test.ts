import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/main/jobs/worker-pool'
import { WimArchive } from '../../src/main/wim/archive'
import { applyImage } from '../../src/main/wim/apply/apply-image'
import { quietContext } from '../support/context'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { describeTree, treeDifferences } from '../support/tree-compare'
import { buildSampleTree, wimlib, wimlibCapture, type WimlibCaptureOptions } from '../support/wim-fixtures'

const pool = new WorkerPool({ size: 2 })
afterAll(() => pool.close())

const VARIANTS: Array<[string, WimlibCaptureOptions]> = [
  ['uncompressed', { compress: 'none' }],
  ['XPRESS', { compress: 'xpress' }],
  ['XPRESS, 4 KiB chunks', { compress: 'xpress', chunkSize: 4096 }],
  ['XPRESS solid', { compress: 'xpress', solid: true, extra: ['--solid-compress=xpress'] }],
  ['LZX', { compress: 'lzx' }],
  ['LZX solid', { compress: 'lzx', solid: true, extra: ['--solid-compress=lzx'] }],
  ['LZMS', { compress: 'lzms' }],
  ['LZMS solid (ESD)', { compress: 'lzms', solid: true }],
]

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('apply an image like wimlib-imagex apply does', () => {
  const dir = tempDir()
  const source = join(dir, 'tree')
  beforeAll(() => buildSampleTree(source))

  for (const [label, options] of VARIANTS) {
    it(`${label}: the same tree, file by file (contents, sizes, times, hard links, symlinks)`, async () => {
      const wim = join(dir, `${label}.wim`)
      wimlibCapture(source, wim, options)
      const theirs = join(dir, `${label}-wimlib`)
      wimlib(['apply', wim, '1', theirs])
      const ours = join(dir, `${label}-ours`)
      const archive = await WimArchive.open(wim)
      try {
        const ctx = quietContext()
        const report = await applyImage(archive, 1, ours, { pool }, ctx)
        expect(report.skippedCount).toBe(0)
        expect(ctx.done).toBe(report.bytes)
        expect(report.hardLinks).toBe(2)
        expect(report.symlinks).toBe(3)
      } finally {
        await archive.close()
      }
      expect(treeDifferences(describeTree(ours), describeTree(theirs))).toEqual([])
    })
  }

  it('refuses a target folder that is not empty, before writing anything', async () => {
    const wim = join(dir, 'refuse.wim')
    wimlibCapture(source, wim, { compress: 'none' })
    const target = join(dir, 'busy')
    mkdirSync(join(target, 'something'), { recursive: true })
    const archive = await WimArchive.open(wim)
    try {
      await expect(applyImage(archive, 1, target, { pool }, quietContext())).rejects.toMatchObject({ code: 'CONFLICT' })
    } finally {
      await archive.close()
    }
  })
})
