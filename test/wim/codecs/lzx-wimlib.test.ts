/**
 * LZX against wimlib: every compressed chunk wimlib-imagex writes must decode to its exact
 * bytes, at Microsoft's chunk size and at the larger ones wimlib allows, at its default and
 * other levels; and our compressor, on the same chunks, must round-trip and come close to
 * wimlib's size (its default level trades a few percent of size for speed, see compress.ts).
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, closeSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { parseBlobTableEntries, serializeBlobTable } from '../../../src/main/wim/blob-table'
import { createLzxCodec } from '../../../src/main/wim/codecs/lzx'
import { ResourceFlag } from '../../../src/main/wim/constants'
import { parseHeader, serializeHeader } from '../../../src/main/wim/header'
import { EMPTY_RESOURCE, type ResourceHeader } from '../../../src/main/wim/resource-header'
import { generateBytes } from '../../../src/main/jobs/tasks'
import { tempDir } from '../../support/temp'
import { missingTool, toolPath } from '../../support/tools'
import { chunkSamples, type ChunkSample } from '../../support/wim-chunks'
import { buildSampleTree, textBytes, wimlib, wimlibCapture } from '../../support/wim-fixtures'

function isElf(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(4)
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === '\x7fELF'
  } finally {
    closeSync(fd)
  }
}

/** Real x86-64 machine code: the first ELF programs of /usr/bin, about `budget` bytes. */
function copyElfFiles(dir: string, budget: number): void {
  mkdirSync(dir, { recursive: true })
  let total = 0
  for (const name of readdirSync('/usr/bin').sort()) {
    const path = join('/usr/bin', name)
    const st = lstatSync(path)
    if (!st.isFile() || st.size < 20_000 || st.size > 150_000 || !isElf(path)) continue
    copyFileSync(path, join(dir, name))
    total += st.size
    if (total >= budget) break
  }
  expect(total).toBeGreaterThan(budget / 2)
}

/** Fixed-size records with counters and repeated names: binary data with structure. */
function records(count: number): Uint8Array {
  const out = new Uint8Array(count * 24)
  const view = new DataView(out.buffer)
  for (let i = 0; i < count; i++) {
    view.setUint32(i * 24, i, true)
    view.setUint32(i * 24 + 4, (i * 2654435761) % 1000, true)
    out.set(new TextEncoder().encode(`item${i % 97}`.padEnd(16, '\0')), i * 24 + 8)
  }
  return out
}

/** Long runs, matches of every length up to far beyond the maximum, and tiny final chunks. */
function buildCorpus(root: string): void {
  buildSampleTree(join(root, 'tree'), { symlinks: false })
  copyElfFiles(join(root, 'elf'), 1_200_000)
  const file = (name: string, data: Uint8Array): void => writeFileSync(join(root, name), data)
  file('records.bin', records(20_000))
  file('text.txt', textBytes(21, 400_000))
  file('random.bin', generateBytes(22, 100_000))
  const runs = new Uint8Array(300_000)
  for (let at = 0, v = 0; at < runs.length; v++) {
    const run = 1 + (v * 7919) % 700
    runs.fill(v & 0xff, at, at + run)
    at += run
  }
  file('runs.bin', runs)
  // A block of random bytes repeated: matches far longer than 257 bytes.
  const block = generateBytes(23, 5000)
  const repeated = new Uint8Array(200_000)
  for (let at = 0; at < repeated.length; at += block.length) repeated.set(block.subarray(0, Math.min(block.length, repeated.length - at)), at)
  file('repeated.bin', repeated)
  file('tail-1.bin', textBytes(24, 32768 + 1))
  file('tail-100.bin', textBytes(25, 65536 + 100))
  // x86 calls everywhere, with the E8 byte also inside operands and near chunk ends.
  const calls = new Uint8Array(100_000)
  const rnd = generateBytes(26, calls.length)
  for (let at = 0; at + 5 <= calls.length; at += 5 + (rnd[at] & 3)) {
    calls[at] = 0xe8
    calls.set(rnd.subarray(at + 1, at + 3), at + 1)
    calls[at + 3] = rnd[at + 3] & 1 ? 0xe8 : 0
    calls[at + 4] = rnd[at + 4] & 1 ? 0xff : 0
  }
  file('calls.bin', calls)
  // Text, then random bytes that our compressor stores as uncompressed blocks.
  const mixed = new Uint8Array(4 * 32768)
  for (let at = 0; at < mixed.length; at += 32768) {
    mixed.set(textBytes(at, 8192), at)
    mixed.set(generateBytes(at + 1, 24576), at + 8192)
  }
  file('mixed.bin', mixed)
}

/**
 * Writes a copy of a wimlib-made WIM whose every compressed chunk is ours: each resource's
 * chunks decoded and compressed again (stored raw when that does not shrink them), its
 * chunk table rebuilt, the blob table and header pointed at the new places. Only what a
 * plain capture contains: no solid resources, no integrity table.
 */
function recompressWim(source: string, target: string): void {
  const file = readFileSync(source)
  const header = parseHeader(file.subarray(0, 208), source, file.length)
  const codec = createLzxCodec({ chunkSize: header.chunkSize })
  const table = file.subarray(header.blobTable.offset, header.blobTable.offset + header.blobTable.sizeInWim)
  const pieces: Uint8Array[] = [new Uint8Array(208)]
  let end = 208
  const place = (bytes: Uint8Array, like: ResourceHeader): ResourceHeader => {
    pieces.push(bytes)
    end += bytes.length
    return { ...like, offset: end - bytes.length, sizeInWim: bytes.length }
  }
  const recompress = (resource: ResourceHeader): ResourceHeader => {
    const stored = file.subarray(resource.offset, resource.offset + resource.sizeInWim)
    if (!(resource.flags & ResourceFlag.COMPRESSED)) return place(stored, resource)
    const count = Math.ceil(resource.uncompressedSize / header.chunkSize)
    const tableSize = (count - 1) * 4
    const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength)
    const bounds = [0, ...Array.from({ length: count - 1 }, (_, i) => view.getUint32(i * 4, true)), resource.sizeInWim - tableSize]
    const chunks = bounds.slice(0, -1).map((from, i) => {
      const size = Math.min(header.chunkSize, resource.uncompressedSize - i * header.chunkSize)
      const packed = stored.subarray(tableSize + from, tableSize + bounds[i + 1]!)
      const plain = packed.length === size ? packed : codec.decompress(packed, size)
      return codec.compress(plain) ?? plain
    })
    const chunkTable = new DataView(new ArrayBuffer(tableSize))
    let offset = 0
    chunks.slice(0, -1).forEach((chunk, i) => chunkTable.setUint32(i * 4, (offset += chunk.length), true))
    return place(Buffer.concat([new Uint8Array(chunkTable.buffer), ...chunks]), resource)
  }
  const records = parseBlobTableEntries(table, source, header.blobTable.offset).map((entry) => ({ ...entry, header: recompress(entry.header) }))
  const xml = place(file.subarray(header.xml.offset, header.xml.offset + header.xml.sizeInWim), header.xml)
  const blobTable = place(serializeBlobTable(records), header.blobTable)
  const metadata = records.filter((r) => r.header.flags & ResourceFlag.METADATA)
  const bootMetadata = header.bootIndex ? metadata[header.bootIndex - 1]!.header : EMPTY_RESOURCE
  pieces[0] = serializeHeader({ ...header, blobTable, xml, bootMetadata, integrity: EMPTY_RESOURCE })
  writeFileSync(target, Buffer.concat(pieces))
}

/** Every regular file under `dir`, by relative path, with its bytes. */
function filesOf(dir: string, root = dir, out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const st = lstatSync(path)
    if (st.isDirectory()) filesOf(path, root, out)
    else if (st.isFile()) out.set(relative(root, path), readFileSync(path))
  }
  return out
}

function decodesExactly(samples: ChunkSample[], chunkSize: number): void {
  const codec = createLzxCodec({ chunkSize })
  let mismatches = 0
  for (const sample of samples) {
    const out = codec.decompress(sample.compressed, sample.expected.length)
    if (Buffer.compare(out, sample.expected) !== 0) {
      mismatches++
      expect.soft(out, sample.where).toEqual(sample.expected)
    }
  }
  expect(mismatches).toBe(0)
}

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('LZX and wimlib', () => {
  const dir = tempDir('lzx-wimlib-')
  const source = join(dir, 'corpus')
  const samplesOf = new Map<string, ChunkSample[]>()

  beforeAll(async () => {
    buildCorpus(source)
    const captures: Array<[string, number, string[]]> = [
      ['default', 32768, []],
      ['fast', 32768, ['--compress=lzx:20']],
      ['thorough', 32768, ['--compress=lzx:100']],
      ['64k', 65536, []],
      ['256k', 262144, []],
      ['2m', 2097152, []],
    ]
    for (const [name, chunkSize, extra] of captures) {
      const wim = join(dir, `${name}.wim`)
      wimlibCapture(source, wim, { compress: 'lzx', chunkSize, extra })
      samplesOf.set(name, await chunkSamples(wim, source))
    }
  })

  it.each([
    ['default', 32768],
    ['fast', 32768],
    ['thorough', 32768],
    ['64k', 65536],
    ['256k', 262144],
    ['2m', 2097152],
  ] as const)('decodes every chunk wimlib wrote (%s, %i-byte chunks)', (name, chunkSize) => {
    const samples = samplesOf.get(name)!
    expect(samples.length).toBeGreaterThan(name === '2m' ? 3 : 20)
    decodesExactly(samples, chunkSize)
  })

  it('compresses the same chunks within 4% of wimlib, and they come back exact', () => {
    const samples = samplesOf.get('default')!
    const codec = createLzxCodec({ chunkSize: 32768 })
    let ours = 0
    let theirs = 0
    for (const sample of samples) {
      const packed = codec.compress(sample.expected)
      theirs += sample.compressed.length
      ours += packed ? packed.length : sample.expected.length
      if (packed) expect(Buffer.compare(codec.decompress(packed, sample.expected.length), sample.expected), sample.where).toBe(0)
    }
    expect(ours / theirs).toBeLessThan(1.04)
  })

  it('round-trips chunks of 256 KiB and 2 MiB, as large as wimlib allows', () => {
    for (const [name, chunkSize] of [['256k', 262144], ['2m', 2097152]] as const) {
      const codec = createLzxCodec({ chunkSize })
      const samples = samplesOf.get(name)!
      let ours = 0
      let theirs = 0
      for (const sample of samples) {
        const packed = codec.compress(sample.expected)
        expect(packed, sample.where).not.toBeNull()
        ours += packed!.length
        theirs += sample.compressed.length
        expect(Buffer.compare(codec.decompress(packed!, sample.expected.length), sample.expected), sample.where).toBe(0)
      }
      expect(ours / theirs).toBeLessThan(1.07)
    }
  })

  it.each([32768, 2097152])('writes chunks wimlib-imagex and 7-Zip read back exactly (%i-byte chunks)', (chunkSize) => {
    const theirs = join(dir, `peer-${chunkSize}.wim`)
    const ours = join(dir, `ours-${chunkSize}.wim`)
    wimlibCapture(source, theirs, { compress: 'lzx', chunkSize })
    recompressWim(theirs, ours)
    expect(wimlib(['verify', ours])).toContain('successfully verified')
    const applied = join(dir, `applied-${chunkSize}`)
    wimlib(['apply', ours, applied])
    const expected = filesOf(source)
    const actual = filesOf(applied)
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const [path, bytes] of expected) expect(Buffer.compare(actual.get(path)!, bytes), path).toBe(0)
    if (!missingTool('7z', 'p7zip-full')) {
      expect(execFileSync(toolPath('7z'), ['t', ours], { encoding: 'utf8' })).toContain('Everything is Ok')
    }
  })

  it('refuses damaged wimlib chunks with CORRUPT, or decodes them to other bytes, never anything else', () => {
    const samples = samplesOf.get('default')!
    const codec = createLzxCodec({ chunkSize: 32768 })
    let seed = 0x1234567
    const next = (): number => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return seed >>> 0
    }
    let refused = 0
    for (let trial = 0; trial < 600; trial++) {
      const sample = samples[next() % samples.length]!
      const damaged = sample.compressed.slice()
      const kind = trial % 3
      if (kind === 0) damaged[next() % damaged.length] ^= 1 << (next() & 7)
      if (kind === 1) for (let k = 0; k < 8; k++) damaged[next() % damaged.length] = next() & 0xff
      const input = kind === 2 ? damaged.subarray(0, next() % damaged.length) : damaged
      try {
        const out = codec.decompress(input, sample.expected.length)
        expect(out.length).toBe(sample.expected.length)
      } catch (error) {
        expect(error).toBeInstanceOf(AppError)
        expect((error as AppError).code).toBe('CORRUPT')
        refused++
      }
    }
    expect(refused).toBeGreaterThan(300)
  })
})
