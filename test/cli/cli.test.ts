import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { readFileSync, writeFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { buildSampleTree, wimlib, wimlibCapture } from '../support/wim-fixtures'

const run = promisify(execFile)
const root = join(__dirname, '..', '..')
const dataDir = tempDir()

/** The CLI from source, as a separate process: what a user's shell runs (minus the build). */
async function imaging(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/index.ts'), ...args], {
      cwd: root,
      env: { ...process.env, IMAGING_DATA_DIR: dataDir },
    })
    return { stdout, stderr, code: 0 }
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number }
    return { stdout: e.stdout, stderr: e.stderr, code: e.code }
  }
}

describe('imaging CLI', () => {
  it('env --json reports the host and the tool catalogue', async () => {
    const { stdout, code } = await imaging('env', '--json')
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(report.platform).toBe(process.platform)
    expect(report.tools.map((t: { id: string }) => t.id)).toContain('wimlib-imagex')
  })

  it('disk list --json lists disks and image files', async () => {
    const { stdout, code } = await imaging('disk', 'list', '--json')
    expect(code).toBe(0)
    const listing = JSON.parse(stdout)
    expect(Array.isArray(listing.disks)).toBe(true)
    expect(listing.imageFiles).toEqual([])
  })

  it('disk list prints a table with the system disk flagged', async () => {
    const { stdout } = await imaging('disk', 'list')
    expect(stdout.split('\n')[0]).toMatch(/^Device\s+Size\s+Bus\s+Table\s+Flags/)
  })

  it('self-test runs a job and prints plain progress lines when not on a terminal', async () => {
    const { stdout, stderr, code } = await imaging('self-test', '--size', '64', '--json')
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ bytes: 64 * 1024 * 1024, workers: expect.any(Number) })
    expect(stderr).not.toMatch(/\r/)
  })

  it('rejects bad arguments with exit code 2 and a clear message', async () => {
    const bad = await imaging('self-test', '--size', 'lots')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/sizeMiB: Invalid input: expected number/)
    const unknown = await imaging('frobnicate')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown command/)
  })
})

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('imaging wim', () => {
  const dir = tempDir()
  const wim = join(dir, 'sample.wim')
  beforeAll(() => {
    buildSampleTree(join(dir, 'tree'))
    wimlibCapture(join(dir, 'tree'), wim, { compress: 'none', name: 'Sample' })
  })

  it('info prints the header and images, and one image in detail or as JSON', async () => {
    const table = await imaging('wim', 'info', wim)
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/Compression:\s+NONE/)
    expect(table.stdout).toMatch(/\n\s+1\s+Sample\s/)
    const json = JSON.parse((await imaging('wim', 'info', wim, '1', '--json')).stdout)
    expect(json).toMatchObject({ index: 1, name: 'Sample' })
    const missing = await imaging('wim', 'info', wim, '7')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/has no image "7"/)
  })

  it('dir lists every path of the image', async () => {
    const { stdout } = await imaging('wim', 'dir', wim, 'Sample')
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['\\readme.txt', '\\links\\hardlink.txt', '\\unicode\\Español.txt']))
  })

  it('apply, extract and verify run as jobs and report', async () => {
    const applied = await imaging('wim', 'apply', wim, '1', join(dir, 'applied'))
    expect(applied.code).toBe(0)
    expect(applied.stdout).toMatch(/Applied image 1 \(Sample\)/)
    const extracted = await imaging('wim', 'extract', wim, '1', '\\unicode', '--dest-dir', join(dir, 'extracted'), '--json')
    expect(JSON.parse(extracted.stdout)).toMatchObject({ files: 3, skippedCount: 0 })
    expect(readFileSync(join(dir, 'extracted', 'unicode', 'Español.txt'), 'utf8')).toBe('hola')
    const verified = await imaging('wim', 'verify', wim)
    expect(verified.code).toBe(0)
    expect(verified.stdout).toMatch(/blobs, .* checked/)
  })

  it('names a missing file clearly', async () => {
    const result = await imaging('wim', 'info', join(dir, 'nope.wim'))
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/nope\.wim/)
  })
})

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('imaging wim, writing', () => {
  const dir = tempDir()
  const tree = join(dir, 'tree')
  beforeAll(() => buildSampleTree(tree))

  it('captures, appends, exports, renames, updates, splits, joins and deletes, as wimlib-imagex users expect', async () => {
    const wim = join(dir, 'cli.wim')
    const captured = await imaging('wim', 'capture', tree, wim, 'Base', 'first image', '--compress=none', '--check')
    expect(captured.code).toBe(0)
    // A line as each phase starts, with no count carried over from the phase before.
    const phases = captured.stderr.split('\n').filter((line) => /^ {6}\S/.test(line))
    expect(phases.map((line) => line.trim())).toEqual(['Scan the folder', 'Find duplicate files', 'Compress and write', 'Write metadata and tables'])
    expect((await imaging('wim', 'append', join(tree, 'dup'), wim, 'Dups', '--compress=none')).stdout).toMatch(/Appended image 2 \("Dups"\)/)
    // Split while the WIM still holds the whole tree (1.7 MiB).
    const parts = await imaging('wim', 'split', wim, join(dir, 'cli.swm'), '1', '--json')
    expect(JSON.parse(parts.stdout).parts.length).toBeGreaterThan(1)
    expect((await imaging('wim', 'join', join(dir, 'joined.wim'), join(dir, 'cli.swm'))).code).toBe(0)
    expect((await imaging('wim', 'delete', join(dir, 'joined.wim'), 'Dups')).stdout).toMatch(/1 image\(s\) left/)
    expect(wimlib(['verify', join(dir, 'joined.wim')])).toMatch(/(verified|OK)/i)
    const exported = join(dir, 'exported.wim')
    expect((await imaging('wim', 'export', wim, 'Dups', exported, 'Only dups', '--compress=none')).stdout).toMatch(/image 2 -> 1 \(Only dups\)/)
    expect((await imaging('wim', 'info', wim, '1', 'Renamed', '--boot')).stdout).toMatch(/Name:\s+Renamed/)
    writeFileSync(join(dir, 'note.txt'), 'added by update')
    expect((await imaging('wim', 'update', wim, '1', '--add', join(dir, 'note.txt'), '\\notes\\note.txt', '--delete', '\\big', '--rename', '\\readme.txt', '\\README.TXT')).code).toBe(0)
    const listing = (await imaging('wim', 'dir', wim, '1')).stdout.split('\n')
    expect(listing).toEqual(expect.arrayContaining(['\\notes\\note.txt', '\\README.TXT']))
    expect(listing).not.toContain('\\big')
    expect(wimlib(['info', wim])).toMatch(/Boot Index:\s+1/)
  })

  it('refuses update edits it cannot read, with exit code 2', async () => {
    const result = await imaging('wim', 'update', join(dir, 'cli.wim'), '1', '--add', 'only-one')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--add needs 2 values/)
  })
})
