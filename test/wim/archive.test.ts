import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { WimArchive } from '../../src/main/wim/archive'
import { FileAttribute } from '../../src/main/wim/constants'
import type { WimDentry } from '../../src/main/wim/metadata/model'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { buildSampleTree, wimlibCapture } from '../support/wim-fixtures'

/** path -> 'dir' | sha1 of contents | 'link' for every entry under a real folder. */
function walkDisk(root: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const name of readdirSync(join(root, rel))) {
    const path = rel ? `${rel}/${name}` : name
    const st = lstatSync(join(root, path))
    if (st.isDirectory()) {
      out.set(path, 'dir')
      for (const [k, v] of walkDisk(root, path)) out.set(k, v)
    } else if (st.isSymbolicLink()) out.set(path, 'link')
    else out.set(path, createHash('sha1').update(readFileSync(join(root, path))).digest('hex'))
  }
  return out
}

function walkWim(dir: WimDentry, rel = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const child of dir.children ?? []) {
    const path = rel ? `${rel}/${child.name}` : child.name
    if (child.inode.attributes & FileAttribute.REPARSE_POINT) out.set(path, 'link')
    else if (child.children) {
      out.set(path, 'dir')
      for (const [k, v] of walkWim(child, path)) out.set(k, v)
    } else {
      out.set(path, child.inode.streams.find((s) => s.kind === 'data' && s.name === '')?.hash ?? createHash('sha1').digest('hex'))
    }
  }
  return out
}

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('WimArchive on WIMs made by wimlib', () => {
  const dir = tempDir()
  const source = join(dir, 'tree')
  const wim = join(dir, 'none.wim')
  beforeAll(() => {
    buildSampleTree(source)
    wimlibCapture(source, wim, { compress: 'none', name: 'Sample', description: 'A test image' })
  })

  it('reads the header, the XML and the image list', async () => {
    const archive = await WimArchive.open(wim)
    try {
      expect(archive.header).toMatchObject({ compression: 'none', partNumber: 1, totalParts: 1, imageCount: 1, bootIndex: 0 })
      expect(archive.images).toHaveLength(1)
      expect(archive.images[0]).toMatchObject({ index: 1, name: 'Sample', description: 'A test image' })
      expect(archive.images[0]!.fileCount).toBeGreaterThan(20)
      expect(archive.resolveImage('sample')).toBe(1)
      expect(() => archive.resolveImage(2)).toThrow(/has no image 2/)
    } finally {
      await archive.close()
    }
  })

  it('reads the same tree and contents that were captured', async () => {
    const archive = await WimArchive.open(wim)
    try {
      const tree = await archive.readImageTree(1)
      expect(tree.warnings).toEqual([])
      expect(walkWim(tree.root)).toEqual(walkDisk(source))
      for (const blob of archive.blobs.values()) {
        const data = await archive.readBlob(blob)
        expect(createHash('sha1').update(data).digest('hex')).toBe(blob.hash)
      }
    } finally {
      await archive.close()
    }
  })
})
