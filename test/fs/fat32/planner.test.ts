import { describe, expect, it } from 'vitest'
import { MAX_FILE_SIZE, minimumVolumeBytes, planFat32, type FatSourceEntry } from '../../../src/main/fs/fat32'
import { MiB, SMALL_VOLUME, T0, file } from './fixtures'

const GiB = 1024 * MiB

function plan(entries: FatSourceEntry[], options: { sizeBytes?: number; label?: string; clusterSize?: number } = {}) {
  return planFat32({ sizeBytes: SMALL_VOLUME, now: T0, entries, ...options })
}

function validation(details: Record<string, unknown>, message?: RegExp) {
  return expect.objectContaining({ code: 'VALIDATION', details: expect.objectContaining(details), ...(message ? { message: expect.stringMatching(message) } : {}) })
}

describe('planFat32: sizes and geometry', () => {
  it("takes the cluster size from Microsoft's table by volume size", () => {
    const clusterSize = (sizeBytes: number) => planFat32({ sizeBytes, entries: [] }).geometry.clusterSize
    expect(clusterSize(100 * MiB)).toBe(512)
    expect(clusterSize(260 * MiB)).toBe(512)
    expect(clusterSize(261 * MiB)).toBe(4096)
    expect(clusterSize(8 * GiB)).toBe(4096)
    expect(clusterSize(8 * GiB + 512)).toBe(8192)
    expect(clusterSize(16 * GiB)).toBe(8192)
    expect(clusterSize(29 * GiB)).toBe(16384)
    expect(clusterSize(64 * GiB)).toBe(32768)
    expect(clusterSize(2048 * GiB - 512)).toBe(32768)
  })

  it('keeps an explicit cluster size, starts the data region on a cluster boundary and maps every cluster', () => {
    for (const sizeBytes of [3 * GiB, 3 * GiB + 12_345 * 512, 5 * GiB + 777 * 512]) {
      for (const clusterSize of [4096, 16384, 32768]) {
        const { geometry } = planFat32({ sizeBytes, clusterSize, entries: [] })
        expect(geometry.clusterSize).toBe(clusterSize)
        expect(geometry.dataOffset % clusterSize, `${sizeBytes}/${clusterSize}`).toBe(0)
        expect(geometry.fatBytes / 4).toBeGreaterThanOrEqual(geometry.clusterCount + 2)
        expect(geometry.dataOffset + geometry.clusterCount * clusterSize).toBeLessThanOrEqual(sizeBytes)
      }
    }
  })

  it('refuses a region too small for FAT32, naming the minimum size', () => {
    const minimum = minimumVolumeBytes(512)
    expect(minimum).toBe((32 + 2 * 512 + 65525) * 512)
    expect(() => plan([], { sizeBytes: minimum - 512 })).toThrow(validation({ minimumBytes: minimum }, new RegExp(`at least ${minimum} bytes`)))
    expect(plan([], { sizeBytes: minimum }).geometry.clusterCount).toBe(65525)
  })

  it('gives a minimum that plans for every cluster size', () => {
    for (let clusterSize = 512; clusterSize <= 65536; clusterSize *= 2) {
      const minimum = minimumVolumeBytes(clusterSize)
      expect(plan([], { sizeBytes: minimum, clusterSize }).geometry.clusterCount, `${clusterSize}`).toBeGreaterThanOrEqual(65525)
      expect(() => plan([], { sizeBytes: minimum - clusterSize, clusterSize }), `${clusterSize}`).toThrow(validation({ minimumBytes: minimum }))
    }
  })

  it('names the minimum for an explicit cluster size too large for the region', () => {
    expect(() => plan([], { sizeBytes: GiB, clusterSize: 65536 })).toThrow(validation({ minimumBytes: minimumVolumeBytes(65536) }, /with 65536-byte clusters needs at least/))
  })

  it('refuses impossible cluster sizes and regions beyond 2 TiB', () => {
    expect(() => plan([], { clusterSize: 3000 })).toThrow(validation({ field: 'clusterSize' }))
    expect(() => plan([], { sizeBytes: 4 * GiB, clusterSize: 512 })).not.toThrow()
    expect(() => plan([], { sizeBytes: 200 * GiB, clusterSize: 512 })).toThrow(validation({ field: 'clusterSize' }, /too small/))
    expect(() => plan([], { sizeBytes: 2048 * GiB })).toThrow(validation({ field: 'sizeBytes' }, /at most/))
  })

  it('plans a 2 TiB volume without allocating its 256 MiB FAT', () => {
    const { geometry, chains } = plan([], { sizeBytes: 2048 * GiB - 512 })
    expect(geometry.fatBytes).toBeGreaterThan(255 * MiB)
    expect(chains.lastClusters).toEqual(Uint32Array.from([2]))
  })

  it('refuses a file of 4 GiB at planning time, naming it and its size, without reading it', () => {
    let opened = false
    const big: FatSourceEntry = {
      path: 'sources/install.wim',
      kind: 'file',
      size: 4 * GiB,
      open: () => {
        opened = true
        return []
      },
    }
    expect(() => plan([big], { sizeBytes: 8 * GiB })).toThrow(validation({ path: 'sources/install.wim', size: 4 * GiB, maxSize: MAX_FILE_SIZE }, /sources\/install\.wim.*4294967296 bytes/))
    expect(opened).toBe(false)
    const largest = plan([{ ...big, size: MAX_FILE_SIZE }], { sizeBytes: 5 * GiB })
    expect(largest.files[0]!.clusterCount).toBe(Math.ceil(MAX_FILE_SIZE / 4096))
    expect(opened).toBe(false)
  })

  it('refuses a tree larger than the volume', () => {
    expect(() => plan([file('a.bin', 0), { path: 'big.bin', kind: 'file', size: 40 * MiB, open: () => [] }])).toThrow(validation({ field: 'entries' }, /need 40\.0 MiB/))
  })
})

describe('planFat32: names and paths', () => {
  it('refuses names that differ only in case, naming both paths', () => {
    expect(() => plan([file('Sources/Boot.wim', 1), file('sources/BOOT.WIM', 1)])).toThrow(validation({ path: 'sources/BOOT.WIM', otherPath: 'Sources/Boot.wim' }, /same name/))
    expect(() => plan([file('Éclair', 1), file('éclair', 1)])).toThrow(validation({ path: 'éclair' }))
    expect(() => plan([{ path: 'x', kind: 'directory' }, { path: 'x', kind: 'directory' }])).toThrow(validation({ path: 'x' }))
  })

  it("keeps names Windows' per-character upper case tells apart", () => {
    expect(plan([file('Straße', 1), file('STRASSE', 1)]).files).toHaveLength(2)
  })

  it('refuses characters FAT cannot hold, naming the path', () => {
    for (const bad of ['a/b:c.txt', 'a/what?', 'quote"d', 'tab\there', 'dot.', 'space ', 'back\\slash', 'x'.repeat(256), 'lone\ud800']) {
      expect(() => plan([file(bad, 1)]), bad).toThrow(validation({ path: bad }, /Cannot store/))
    }
    for (const bad of ['/leading', 'trailing/', 'double//slash', '']) expect(() => plan([file(bad, 1)]), bad).toThrow(validation({ path: bad }))
    expect(plan([file('x'.repeat(255), 1)]).files).toHaveLength(1)
  })

  it('refuses a path through a file', () => {
    expect(() => plan([file('a', 1), file('a/b', 1)])).toThrow(validation({ path: 'a/b', file: 'a' }, /is a file/))
  })

  it('creates missing parents, and takes their times from a later directory entry', () => {
    const later = new Date(Date.UTC(2030, 0, 2))
    const result = plan([file('a/b/c.txt', 1), { path: 'a', kind: 'directory', modified: later }])
    expect(result.directories.map((d) => d.path)).toEqual(['', 'a', 'a/b'])
    expect(result.directories[1]!.modified).toEqual(later)
    expect(result.directories[2]!.modified).toEqual(T0)
  })

  it('refuses a directory of more than 65536 entries, naming it', () => {
    // Each name needs two long-name entries and the short one: with '.' and '..', 66,002 entries.
    const entries = Array.from({ length: 22_000 }, (_, i) => ({ path: `big/a long file name ${i}`, kind: 'file' as const, size: 0 }))
    expect(() => plan(entries, { sizeBytes: GiB })).toThrow(validation({ path: 'big', entries: 66_002 }, /65536/))
  })

  it('checks sizes, sources, dates and the label', () => {
    expect(() => plan([{ path: 'a', kind: 'file', size: -1 }])).toThrow(validation({ path: 'a' }, /size/))
    expect(() => plan([{ path: 'a', kind: 'file', size: 1.5 }])).toThrow(validation({ path: 'a' }, /size/))
    expect(() => plan([{ path: 'a', kind: 'file', size: 10 }])).toThrow(validation({ path: 'a' }, /no way to read/))
    expect(() => plan([{ path: 'a', kind: 'file', size: 0, modified: new Date(NaN) }])).toThrow(validation({ path: 'a' }, /Invalid date/))
    expect(() => plan([], { label: 'twelve chars' })).toThrow(validation({ field: 'label' }))
    expect(() => plan([], { label: 'a.b' })).toThrow(validation({ field: 'label' }))
    expect(plan([], { label: 'Win 11 x64' }).label).toBe('WIN 11 X64 ')
  })
})
