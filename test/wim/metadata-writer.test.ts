import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { WimArchive } from '../../src/main/wim/archive'
import { parseMetadata } from '../../src/main/wim/metadata/dentry-reader'
import { serializeMetadata, streamEntries } from '../../src/main/wim/metadata/dentry-writer'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { buildSampleTree, wimlibCapture } from '../support/wim-fixtures'

async function metadataOf(wim: string): Promise<Uint8Array> {
  const archive = await WimArchive.open(wim)
  try {
    return await archive.readBlob(archive.metadata[0]!)
  } finally {
    await archive.close()
  }
}

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('metadata serialisation', () => {
  const dir = tempDir()
  // wimlib before 1.14.2 (Debian 12 has 1.13.5) stores a folder link's reparse hash in an
  // extra stream entry; DISM keeps it in the dentry. We write DISM's form (checked below),
  // so the byte-for-byte comparison uses a tree without folder links.
  beforeAll(() => buildSampleTree(join(dir, 'tree'), { folderSymlink: false }))

  it('writes back wimlib\'s metadata byte for byte', async () => {
    wimlibCapture(join(dir, 'tree'), join(dir, 'plain.wim'), { compress: 'none' })
    const original = await metadataOf(join(dir, 'plain.wim'))
    const rewritten = serializeMetadata(parseMetadata(original, 'plain.wim'))
    expect(rewritten.length).toBe(original.length)
    expect(Buffer.from(rewritten).equals(Buffer.from(original))).toBe(true)
  })

  it('keeps tagged items (wimlib UNIX data) byte for byte', async () => {
    wimlibCapture(join(dir, 'tree'), join(dir, 'unix.wim'), { compress: 'none', extra: ['--unix-data'] })
    const original = await metadataOf(join(dir, 'unix.wim'))
    const tree = parseMetadata(original, 'unix.wim')
    expect(tree.root.children!.some((c) => c.inode.extra !== null)).toBe(true)
    expect(Buffer.from(serializeMetadata(tree)).equals(Buffer.from(original))).toBe(true)
  })
})

describe('stream entries follow DISM', () => {
  const inode = (attributes: number, streams: Array<{ name: string; kind: 'data' | 'reparse'; hash: string | null }>) =>
    ({ attributes, securityId: -1, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, reparseTag: 0xa000000c, reparseReserved: 0, reparseFlags: 0, streams, unknown0x54: 0, extra: null, linkCount: 1, linkGroupId: 0n }) as const
  const h = (c: string) => c.repeat(40)

  it('keeps a single unnamed stream in the dentry, also for a folder link', () => {
    expect(streamEntries(inode(0x80, [{ name: '', kind: 'data', hash: h('a') }]))).toEqual({ mainHash: h('a'), extra: [] })
    expect(streamEntries(inode(0x410, [{ name: '', kind: 'reparse', hash: h('b') }]))).toEqual({ mainHash: h('b'), extra: [] })
  })

  it('puts every stream in extra entries, reparse first, when there are several', () => {
    expect(streamEntries(inode(0x400, [{ name: '', kind: 'reparse', hash: h('b') }]))).toEqual({
      mainHash: null,
      extra: [{ name: '', hash: h('b') }, { name: '', hash: null }],
    })
    expect(streamEntries(inode(0x80, [{ name: '', kind: 'data', hash: h('a') }, { name: 'Zone.Identifier', kind: 'data', hash: h('c') }]))).toEqual({
      mainHash: null,
      extra: [{ name: '', hash: h('a') }, { name: 'Zone.Identifier', hash: h('c') }],
    })
  })
})
