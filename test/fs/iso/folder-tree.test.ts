import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openFolder } from '../../../src/main/fs/folder-tree'
import { openIso } from '../../../src/main/fs/iso/iso-image'
import { missingTool } from '../../support/tools'
import { tempDir } from '../../support/temp'
import { collect, expectPositionalReads, expectTreeEqualsFolder, genisoimageBridge, makeSourceTree } from './support/fixtures'

describe('a folder as a source tree', () => {
  const dir = tempDir('imaging-folder-')
  const src = join(dir, 'src')

  beforeAll(() => makeSourceTree(src))

  /** A fresh folder holding the given files (contents are their names). */
  function folder(name: string, files: string[]): string {
    const root = join(dir, name)
    for (const file of files) {
      mkdirSync(join(root, file, '..'), { recursive: true })
      writeFileSync(join(root, file), file)
    }
    return root
  }

  it('lists, stats and streams the tree exactly as node:fs sees it', async () => {
    const tree = await openFolder(src)
    expect(tree.description).toBe(`folder ${src}`)
    await expectTreeEqualsFolder(tree, src)
    const wim = readFileSync(join(src, 'sources/install.wim'))
    await expectPositionalReads(tree, 'sources/install.wim', wim, [0, 1, 4095, wim.length - 1, wim.length])
  })

  it('looks paths up case-insensitively and reports stored names', async () => {
    const tree = await openFolder(src)
    expect(await tree.stat('SOURCES\\INSTALL.WIM')).toMatchObject({ path: 'sources/install.wim', name: 'install.wim', size: 3 * 1024 * 1024 + 777 })
    expect(await tree.stat('mixedcase/readme.txt')).toMatchObject({ path: 'MixedCase/ReadMe.TXT' })
    expect(await tree.stat('no/such/file')).toBeNull()
    await expect(tree.stat('../src')).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(tree.open('sources')).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(tree.open('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(openFolder(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it.skipIf(missingTool('genisoimage', 'genisoimage'))('walks the same entries in the same order as an ISO made from it', async () => {
    const iso = join(dir, 'same.iso')
    genisoimageBridge(src, iso)
    const image = await openIso(iso)
    try {
      const shape = (entries: Awaited<ReturnType<typeof collect>>) => entries.map((e) => [e.path, e.isDirectory, e.size])
      expect(shape(await collect(await openFolder(src)))).toEqual(shape(await collect(image)))
    } finally {
      await image.close()
    }
  })

  it('follows symbolic links that stay inside the folder', async () => {
    const root = folder('links-inside', ['data/real.txt'])
    symlinkSync('data/real.txt', join(root, 'alias.txt'))
    symlinkSync('data', join(root, 'alias-dir'))
    const tree = await openFolder(root)
    expect((await collect(tree)).map((e) => [e.path, e.size])).toEqual([
      ['alias-dir', 0],
      ['alias-dir/real.txt', 13],
      ['alias.txt', 13],
      ['data', 0],
      ['data/real.txt', 13],
    ])
    const chunks: Uint8Array[] = []
    for await (const chunk of tree.stream('ALIAS.TXT')) chunks.push(chunk)
    expect(Buffer.concat(chunks).toString()).toBe('data/real.txt')
  })

  it('refuses links that lead out of the folder, nowhere, or back into themselves', async () => {
    const outside = folder('outside', ['secret.txt'])
    const cases: [string, (root: string) => void, RegExp][] = [
      ['escape', (root) => symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt')), /leak\.txt: it is a symbolic link that leads out of the folder/],
      ['escape-dir', (root) => symlinkSync('..', join(root, 'up')), /up: it is a symbolic link that leads out of the folder/],
      ['dangling', (root) => symlinkSync('missing.txt', join(root, 'broken.txt')), /broken\.txt: it is a symbolic link that leads nowhere/],
      ['loop', (root) => symlinkSync('.', join(root, 'sub/again')), /sub\/again: it leads back to sub \(a link loop\)/],
    ]
    for (const [name, make, message] of cases) {
      const root = folder(name, ['sub/file.txt'])
      make(root)
      const tree = await openFolder(root)
      await expect(collect(tree), name).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(message) })
    }
    const escape = await openFolder(join(dir, 'escape'))
    await expect(escape.open('leak.txt')).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('refuses names a copier could not trust, and names Windows would take for one another', async () => {
    for (const name of ['back\\slash.txt', 'CON.txt', 'lpt1', 'ends-with-dot.', 'colon:stream', 'star*.txt']) {
      const root = folder(`hostile-${Buffer.from(name).toString('hex')}`, [name])
      await expect(collect(await openFolder(root)), name).rejects.toMatchObject({ code: 'VALIDATION', details: { entry: name } })
    }
    const twins = folder('twins', ['sub/readme.txt', 'sub/README.TXT'])
    await expect(collect(await openFolder(twins))).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('leaves out FIFOs and other special files', async ({ skip }) => {
    if (missingTool('mkfifo', 'coreutils')) skip()
    const root = folder('special', ['file.txt'])
    execFileSync('mkfifo', [join(root, 'pipe')])
    expect((await collect(await openFolder(root))).map((e) => e.path)).toEqual(['file.txt'])
  })
})
