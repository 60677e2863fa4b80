import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/errors'
import { WorkerPool } from '../../src/main/jobs/worker-pool'
import { WimArchive } from '../../src/main/wim/archive'
import { captureImage, type CaptureOptions } from '../../src/main/wim/capture/capture'
import { parseCaptureConfig } from '../../src/main/wim/capture/exclusions'
import { quietContext } from '../support/context'
import { tempDir } from '../support/temp'
import { missingTool, toolPath } from '../support/tools'
import { describeTree, treeDifferences } from '../support/tree-compare'
import { buildSampleTree, textBytes, wimlib, wimlibCapture } from '../support/wim-fixtures'

const pool = new WorkerPool({ size: 2 })
afterAll(() => pool.close())

function capture(options: Partial<CaptureOptions> & Pick<CaptureOptions, 'source' | 'wim'>, context = quietContext()) {
  return captureImage({ mode: 'create', name: 'Captured', compression: 'none', ...options }, pool, context)
}

/** A context that cancels once the write phase has stored `bytes`: cancel in the middle of writing. */
function cancellingContext(bytes: number) {
  const controller = new AbortController()
  const context = quietContext(controller.signal)
  let writing = false
  const phase = context.phase
  context.phase = (id) => {
    writing = id === 'write'
    phase(id)
  }
  let stored = 0
  context.advance = (n) => {
    if (writing && (stored += n) >= bytes) controller.abort(new AppError('CANCELLED', 'Cancelled by the test'))
  }
  return context
}

/** Each path's type and content hash: what an extractor that ignores metadata must reproduce. */
function contentsOf(tree: string): Map<string, string> {
  return new Map([...describeTree(tree)].map(([path, facts]) => [path, `${facts.type}:${facts.sha1}`]))
}

function sha1File(path: string): string {
  return createHash('sha1').update(readFileSync(path)).digest('hex')
}

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('capture', () => {
  const dir = tempDir()
  const source = join(dir, 'tree')
  beforeAll(() => buildSampleTree(source))

  it('writes a WIM that wimlib verifies and applies back to exactly the captured tree', async () => {
    const wim = join(dir, 'ours.wim')
    const report = await capture({ source, wim, description: 'from a test' })
    expect(report).toMatchObject({ image: 1, hardLinks: 2, symlinks: 3, excludedCount: 0 })
    expect(wimlib(['verify', wim])).toMatch(/(verified|OK)/i)
    const applied = join(dir, 'applied-by-wimlib')
    wimlib(['apply', wim, '1', applied])
    expect(treeDifferences(describeTree(applied), describeTree(source), { atime: false })).toEqual([])
  })

  for (const [label, options] of [
    ['XPRESS', { compression: 'xpress' }],
    ['XPRESS with 4 KiB chunks', { compression: 'xpress', chunkSize: 4096 }],
    ['LZX', { compression: 'lzx' }],
    ['LZX solid', { compression: 'lzx', solid: true }],
    ['LZMS', { compression: 'lzms' }],
    ['LZMS solid (ESD)', { compression: 'lzms', solid: true }],
  ] as Array<[string, Partial<CaptureOptions>]>) {
    it(`${label}: wimlib verifies it and applies it back to the captured tree; 7-Zip reads it`, async () => {
      const wim = join(dir, `${label}.wim`)
      await capture({ source, wim, ...options })
      expect(wimlib(['info', wim])).toMatch(new RegExp(`Compression:\\s+${options.compression}`, 'i'))
      expect(wimlib(['verify', wim])).toMatch(/(verified|OK)/i)
      const applied = join(dir, `${label}-applied`)
      wimlib(['apply', wim, '1', applied])
      expect(treeDifferences(describeTree(applied), describeTree(source), { atime: false })).toEqual([])
      if (missingTool('7z', 'p7zip-full')) return
      const plain = join(dir, `${label}-no-links`)
      buildSampleTree(plain, { symlinks: false })
      const plainWim = join(dir, `${label}-no-links.wim`)
      await capture({ source: plain, wim: plainWim, ...options })
      const out = join(dir, `${label}-7z`)
      execFileSync(toolPath('7z'), ['x', '-y', `-o${out}`, plainWim], { stdio: 'ignore' })
      expect(contentsOf(out)).toEqual(contentsOf(plain))
    })
  }

  it('records the same image statistics as wimlib for the same folder', async () => {
    const ours = join(dir, 'stats-ours.wim')
    const theirs = join(dir, 'stats-theirs.wim')
    await capture({ source, wim: ours })
    wimlibCapture(source, theirs, { compress: 'none' })
    const [a, b] = [await WimArchive.open(ours), await WimArchive.open(theirs)]
    try {
      const pick = (i: (typeof a.images)[number]) => ({ dirCount: i.dirCount, fileCount: i.fileCount, totalBytes: i.totalBytes, hardLinkBytes: i.hardLinkBytes })
      expect(pick(a.images[0]!)).toEqual(pick(b.images[0]!))
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('is read by 7-Zip, an independent reader', async () => {
    if (missingTool('7z', 'p7zip-full')) return
    // 7-Zip refuses to extract links that point up a folder ("dangerous link path"), from
    // wimlib's WIMs as from ours: this tree has none.
    const plain = join(dir, 'no-links')
    buildSampleTree(plain, { symlinks: false })
    const wim = join(dir, 'for-7z.wim')
    await capture({ source: plain, wim })
    const out = join(dir, '7z-out')
    execFileSync(toolPath('7z'), ['x', '-y', `-o${out}`, wim], { stdio: 'ignore' })
    expect(contentsOf(out)).toEqual(contentsOf(plain))
  })

  it('appends an image, storing shared contents once', async () => {
    const wim = join(dir, 'two.wim')
    await capture({ source, wim, name: 'First' })
    const before = await WimArchive.open(wim)
    const blobsBefore = before.blobs.size
    await before.close()
    const report = await capture({ source: join(source, 'dup'), wim, name: 'Second', mode: 'append' })
    expect(report).toMatchObject({ image: 2, newBlobs: 0, reusedBlobs: 1 })
    const after = await WimArchive.open(wim)
    try {
      expect(after.images.map((i) => i.name)).toEqual(['First', 'Second'])
      expect(after.blobs.size).toBe(blobsBefore)
    } finally {
      await after.close()
    }
    expect(wimlib(['verify', wim])).toMatch(/(verified|OK)/i)
    const applied = join(dir, 'second-applied')
    wimlib(['apply', wim, '2', applied])
    expect(readdirSync(applied).sort()).toEqual(['a.txt', 'b.txt', 'nested'])
  })

  it('leaves out what the exclusion list names, and the Windows defaults', async () => {
    const tree = join(dir, 'volume')
    mkdirSync(join(tree, 'Windows', 'Temp'), { recursive: true })
    mkdirSync(join(tree, 'System Volume Information'), { recursive: true })
    writeFileSync(join(tree, 'pagefile.sys'), 'swap')
    writeFileSync(join(tree, 'Windows', 'Temp', 'junk.tmp'), 'junk')
    writeFileSync(join(tree, 'Windows', 'keep.txt'), 'keep')
    writeFileSync(join(tree, 'Windows', 'debug.log'), 'log')
    const config = parseCaptureConfig('[ExclusionList]\n\\pagefile.sys\n\\System Volume Information\n\\Windows\\Temp\n*.log\n[ExclusionException]\n\\Windows\\keep.txt\n', 'test.ini')
    const wim = join(dir, 'excluded.wim')
    const report = await capture({ source: tree, wim, config })
    expect(report.excluded.sort()).toEqual(['\\System Volume Information', '\\Windows\\Temp', '\\Windows\\debug.log', '\\pagefile.sys'])
    const defaults = await capture({ source: tree, wim: join(dir, 'defaults.wim') })
    expect(defaults.excluded.sort()).toEqual(['\\System Volume Information', '\\pagefile.sys'])
  })

  it('leaves no file behind when a capture is cancelled', async () => {
    const big = join(dir, 'big-tree')
    mkdirSync(big)
    for (let i = 0; i < 40; i++) writeFileSync(join(big, `f${i}.txt`), textBytes(i, 2_000_000))
    const wim = join(dir, 'cancelled.wim')
    await expect(capture({ source: big, wim }, cancellingContext(10_000_000))).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(existsSync(wim)).toBe(false)
    expect(readdirSync(dir).filter((n) => n.includes('cancelled'))).toEqual([])
  })

  it('leaves an existing WIM unchanged when an append is cancelled', async () => {
    const wim = join(dir, 'keep.wim')
    await capture({ source, wim })
    const before = sha1File(wim)
    const size = readFileSync(wim).length
    await expect(capture({ source: join(dir, 'big-tree'), wim, mode: 'append' }, cancellingContext(10_000_000))).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(readFileSync(wim).length).toBe(size)
    expect(sha1File(wim)).toBe(before)
  })
})
