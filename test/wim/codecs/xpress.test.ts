import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateBytes } from '../../../src/main/jobs/tasks'
import { WimArchive } from '../../../src/main/wim/archive'
import { chunkCount } from '../../../src/main/wim/chunk-layout'
import { codecFor } from '../../../src/main/wim/codecs'
import type { ChunkCodec } from '../../../src/main/wim/codecs/codec'
import { createXpressCodec } from '../../../src/main/wim/codecs/xpress'
import { BLOB_TABLE_ENTRY_SIZE, ResourceFlag, SHA1_SIZE } from '../../../src/main/wim/constants'
import { writeResourceHeader } from '../../../src/main/wim/resource-header'
import { toHex } from '../../../src/main/wim/sha1'
import { AppError } from '../../../src/shared/errors'
import { tempDir } from '../../support/temp'
import { missingTool, toolPath } from '../../support/tools'
import { type ChunkSample, chunkSamples } from '../../support/wim-chunks'
import { buildSampleTree, textBytes, wimlib, wimlibCapture } from '../../support/wim-fixtures'

function random(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function pattern(length: number, cycle: number[]): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => cycle[i % cycle.length]!)
}

/** Runs of one byte, of lengths from 1 to `maxRun`. */
function runs(seed: number, length: number, maxRun: number): Uint8Array {
  const rnd = random(seed)
  const out = new Uint8Array(length)
  for (let at = 0; at < length; ) {
    const run = 1 + Math.floor(rnd() ** 3 * maxRun)
    out.fill(Math.floor(rnd() * 256), at, at + run)
    at += run
  }
  return out
}

/** Fixed-size records of counters and small fields: typical of tables in binaries. */
function records(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  const view = new DataView(out.buffer)
  const rnd = random(seed)
  for (let at = 0; at + 16 <= length; at += 16) {
    view.setUint32(at, at / 16, true)
    view.setUint16(at + 4, Math.floor(rnd() * 300), true)
    view.setUint16(at + 6, 0x5a4d, true)
    view.setUint32(at + 8, Math.floor(rnd() * 2 ** 32), true)
    view.setUint32(at + 12, Math.floor(rnd() * 256), true)
  }
  return out
}

/** `block` repeated until `length`, with a byte changed now and then: very long matches. */
function repeated(block: Uint8Array, length: number, changeEvery: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let at = 0; at < length; at += block.length) out.set(block.subarray(0, Math.min(block.length, length - at)), at)
  for (let at = changeEvery; at < length; at += changeEvery) out[at] = out[at]! ^ 0x5a
  return out
}

/** Real machine code: a slice of the running Node executable. */
function machineCode(length: number): Uint8Array {
  const exe = readFileSync(process.execPath)
  const start = Math.min(1 << 20, Math.max(0, exe.length - length))
  return new Uint8Array(exe.subarray(start, start + length))
}

/** Files that stress an LZ77 + Huffman codec; sizes leave small last chunks at every chunk size. */
function buildCodecCorpus(root: string): void {
  const files: Record<string, Uint8Array> = {
    'text.txt': textBytes(21, 300_000),
    'machine-code.bin': machineCode(300_000),
    'records.bin': records(22, 200_000),
    'repeated-block.bin': repeated(generateBytes(23, 1000), 200_000, 9973),
    'incompressible.bin': generateBytes(24, 100_000),
    'runs.bin': runs(25, 150_000, 5000),
    'zeros-tail.bin': new Uint8Array(65536 + 300),
    'text-tail.txt': textBytes(26, 131072 + 1000),
    'alternating.bin': pattern(70_000, [0x00, 0xff]),
    'cycle3.bin': pattern(40_000, [1, 2, 3]),
    'small-text.txt': textBytes(27, 700),
  }
  mkdirSync(root, { recursive: true })
  for (const [name, data] of Object.entries(files)) writeFileSync(join(root, name), data)
}

function expectCorrupt(action: () => unknown): AppError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('CORRUPT')
    return error as AppError
  }
  throw new Error('expected a CORRUPT error')
}

/**
 * A hand-made XPRESS block: the given codeword lengths, then the given items, each a list of
 * [bits, bitCount] fields or a raw byte, laid out as the format interleaves them.
 */
function craftBlock(lengths: Uint8Array, items: Array<Array<[number, number] | number>>): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < 256; i++) out.push(lengths[2 * i]! | (lengths[2 * i + 1]! << 4))
  let bits = 0
  let count = 0
  const slots = [out.length, out.length + 2]
  out.push(0, 0, 0, 0)
  const put = (value: number, n: number): void => {
    bits = (bits << n) | value
    count += n
    if (count > 16) {
      count -= 16
      const word = (bits >>> count) & 0xffff
      const slot = slots.shift()!
      out[slot] = word & 0xff
      out[slot + 1] = word >>> 8
      slots.push(out.length)
      out.push(0, 0)
    }
  }
  for (const item of items) {
    for (const field of item) {
      if (typeof field === 'number') out.push(field)
      else put(field[0], field[1])
    }
  }
  const last = (bits << (16 - count)) & 0xffff
  out[slots[0]!] = last & 0xff
  out[slots[0]! + 1] = last >>> 8
  return Uint8Array.from(out)
}

/** A complete code where every symbol has 9 bits: symbol s is codeword s. */
const FLAT_LENGTHS = new Uint8Array(512).fill(9)
const sym = (s: number): [number, number] => [s, 9]

describe('XPRESS codec', () => {
  const codec = createXpressCodec({ chunkSize: 65536 })

  it('round-trips edge cases, and stores what cannot shrink', () => {
    const shrinking: Record<string, Uint8Array> = {
      'all zero, one chunk': new Uint8Array(65536),
      'one byte value': new Uint8Array(32768).fill(0xab),
      'text, one chunk': textBytes(2, 65536),
      'alternating bytes': pattern(65536, [0x00, 0xff]),
      'alternating pairs': pattern(10_000, [1, 1, 2, 2, 3]),
      'runs': runs(3, 65536, 3000),
      'records': records(4, 65536),
      'machine code': machineCode(65536),
      'repeated block': repeated(generateBytes(5, 777), 65536, 4099),
    }
    // A match whose length sits on each boundary of the length encoding: in the symbol alone,
    // with one extra byte, with three.
    for (const length of [3, 17, 18, 19, 272, 273, 274, 1000, 20_000]) {
      const copy = generateBytes(length, length)
      shrinking[`match of ${length}`] = concat(textBytes(6, 5000), copy, generateBytes(7, 50), copy, generateBytes(8, 50), textBytes(9, 5000))
    }
    for (const [name, data] of Object.entries(shrinking)) {
      const compressed = codec.compress(data)
      expect(compressed, name).not.toBeNull()
      expect(compressed!.length, name).toBeLessThan(data.length)
      expect(Buffer.from(codec.decompress(compressed!, data.length)).equals(Buffer.from(data)), name).toBe(true)
    }
    const stored = [new Uint8Array(0), new Uint8Array([1]), new Uint8Array(260), textBytes(10, 300), generateBytes(11, 65536), generateBytes(12, 1000)]
    for (const data of stored) expect(codec.compress(data)).toBeNull()
  })

  // Level 1 searches 2 candidates and records 1 position of each match after its start; 100
  // looks ahead for far longer matches.
  it.each([1, 100])('round-trips at level %i', (level) => {
    const leveled = createXpressCodec({ chunkSize: 65536, level })
    for (const data of [textBytes(2, 65536), records(4, 65536), machineCode(65536), repeated(generateBytes(5, 777), 65536, 4099)]) {
      const compressed = leveled.compress(data)!
      expect(Buffer.from(leveled.decompress(compressed, data.length)).equals(Buffer.from(data))).toBe(true)
    }
  })

  it('round-trips random chunks of any size holding one copy of any length', () => {
    const rnd = random(11)
    let shrunk = 0
    for (let trial = 0; trial < 200; trial++) {
      const size = 300 + Math.floor(rnd() * 65_000)
      const data = generateBytes(trial, size)
      const from = Math.floor(rnd() * size * 0.5)
      const length = Math.min(size - from - 1, 3 + Math.floor(rnd() ** 2 * 40_000))
      data.copyWithin(from + 1 + Math.floor(rnd() * 1000), from, from + length)
      const compressed = codec.compress(data)
      if (!compressed) continue
      shrunk++
      expect(Buffer.from(codec.decompress(compressed, size)).equals(Buffer.from(data))).toBe(true)
    }
    expect(shrunk).toBeGreaterThan(50)
  })

  it('is the codec the registry hands out for xpress', () => {
    const data = textBytes(12, 32768)
    const registered = codecFor('xpress', 32768)
    expect(Buffer.from(registered.decompress(codec.compress(data)!, data.length)).equals(Buffer.from(data))).toBe(true)
  })

  it('refuses chunk sizes beyond one block', () => {
    expect(() => createXpressCodec({ chunkSize: 131072 })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
    expectCorrupt(() => codec.decompress(new Uint8Array(300), 65537))
  })

  it('decodes literals, overlapping matches and every length encoding of a hand-made block', () => {
    // "ab", then offset 2 length 3 + 15 + 2 (one length byte), then offset 1 length 300 (three).
    const block = craftBlock(FLAT_LENGTHS, [
      [sym(0x61)],
      [sym(0x62)],
      [sym(256 + ((1 << 4) | 15)), 2, [0, 1]],
      [sym(256 + 15), 255, 297 & 0xff, 297 >> 8],
      [sym(256)],
    ])
    const expected = concat(pattern(22, [0x61, 0x62]), new Uint8Array(300).fill(0x62))
    expect(Buffer.from(codec.decompress(block, expected.length)).equals(Buffer.from(expected))).toBe(true)
  })

  it('rejects damaged blocks with CORRUPT and a reason', () => {
    const literalA = craftBlock(FLAT_LENGTHS, [[sym(0x41)], [sym(256)]])
    expect(codec.decompress(literalA, 1)).toEqual(new Uint8Array([0x41]))

    expect(expectCorrupt(() => codec.decompress(literalA.subarray(0, 255), 1)).message).toMatch(/Huffman code/)
    expect(expectCorrupt(() => codec.decompress(new Uint8Array(300), 10)).message).toMatch(/no symbols/)
    const overSubscribed = new Uint8Array(512).fill(8)
    expect(expectCorrupt(() => codec.decompress(craftBlock(overSubscribed, []), 10)).message).toMatch(/over-subscribed/)
    const incomplete = new Uint8Array(512)
    incomplete.fill(9, 0, 511)
    expect(expectCorrupt(() => codec.decompress(craftBlock(incomplete, []), 10)).message).toMatch(/incomplete/)

    // A match before anything was written, and one that runs past the end of the output.
    expect(expectCorrupt(() => codec.decompress(craftBlock(FLAT_LENGTHS, [[sym(256)]]), 10)).message).toMatch(/before the start/)
    const overlong = craftBlock(FLAT_LENGTHS, [[sym(0x41)], [sym(256 + 5)]])
    expect(expectCorrupt(() => codec.decompress(overlong, 5)).message).toMatch(/past the end of the 5-byte chunk/)
    // Far offset: 2^15 + bits back from position 1.
    const far = craftBlock(FLAT_LENGTHS, [[sym(0x41)], [sym(256 + (15 << 4)), [0x1234, 15]]])
    expect(expectCorrupt(() => codec.decompress(far, 100)).message).toMatch(/before the start/)

    // Length bytes missing, and a 16-bit length that [MS-XCA] refuses.
    const lengthByteCut = craftBlock(FLAT_LENGTHS, [[sym(0x41)], [sym(256 + 15)]])
    expect(expectCorrupt(() => codec.decompress(lengthByteCut, 40)).message).toMatch(/length byte past the end/)
    const lengthWordCut = craftBlock(FLAT_LENGTHS, [[sym(0x41)], [sym(256 + 15), 255, 3]])
    expect(expectCorrupt(() => codec.decompress(lengthWordCut, 400)).message).toMatch(/length word past the end/)
    const shortWord = craftBlock(FLAT_LENGTHS, [[sym(0x41)], [sym(256 + 15), 255, 3, 0], [sym(256)]])
    expect(expectCorrupt(() => codec.decompress(shortWord, 7)).message).toMatch(/length word 3 is invalid/)

    // Streams that end before the output is complete: the last 4 of 36 bits are missing.
    const fourLiterals = craftBlock(FLAT_LENGTHS, [[sym(0x41)], [sym(0x42)], [sym(0x43)], [sym(0x44)]])
    expect(codec.decompress(fourLiterals, 4)).toEqual(new Uint8Array([0x41, 0x42, 0x43, 0x44]))
    expect(expectCorrupt(() => codec.decompress(fourLiterals.subarray(0, 260), 4)).message).toMatch(/ends in the middle/)
    const text = textBytes(13, 20_000)
    const good = codec.compress(text)!
    expectCorrupt(() => codec.decompress(good.subarray(0, good.length - 40), text.length))
  })

  it('writes complete codes of at most 15 bits, end-of-data included', () => {
    const compressed = codec.compress(textBytes(14, 40_000))!
    const lengths = new Uint8Array(512)
    for (let i = 0; i < 256; i++) {
      lengths[2 * i] = compressed[i]! & 0xf
      lengths[2 * i + 1] = compressed[i]! >> 4
    }
    let kraft = 0
    for (const l of lengths) if (l) kraft += 2 ** -l
    expect(kraft).toBe(1)
    expect(lengths[256]).toBeGreaterThan(0)
    expect(Math.max(...lengths)).toBeLessThanOrEqual(15)
  })
})

interface Capture {
  label: string
  samples: ChunkSample[]
}

/** Every file under `root`, by path relative to it, with its SHA-1. */
function hashTree(root: string, rel = '', out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(join(root, rel))) {
    const path = rel ? `${rel}/${name}` : name
    const st = lstatSync(join(root, path))
    if (st.isDirectory()) hashTree(root, path, out)
    else if (st.isFile()) out.set(path, createHash('sha1').update(readFileSync(join(root, path))).digest('hex'))
  }
  return out
}

/**
 * Rewrites in place every compressed file resource of a wimlib-made WIM, chunk by chunk with
 * ours where ours is no larger (the resource then fits in its old space, the rest of which is
 * left unused), and updates the blob table. A stand-in for our WIM writer, so that peers read
 * chunks of exactly the size we produce. Returns how many chunks are ours.
 */
async function rewriteWithOurChunks(wimPath: string, codec: ChunkCodec): Promise<{ chunks: number; ours: number }> {
  const file = readFileSync(wimPath)
  const original = Buffer.from(file)
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const archive = await WimArchive.open(wimPath)
  let chunks = 0
  let ours = 0
  try {
    const table = archive.header.blobTable
    const entries = new Map<string, number>()
    for (let at = table.offset; at < table.offset + table.sizeInWim; at += BLOB_TABLE_ENTRY_SIZE) {
      entries.set(toHex(file.subarray(at + BLOB_TABLE_ENTRY_SIZE - SHA1_SIZE, at + BLOB_TABLE_ENTRY_SIZE)), at)
    }
    for (const blob of archive.blobs.values()) {
      if (blob.location.kind !== 'resource' || !(blob.location.header.flags & ResourceFlag.COMPRESSED)) continue
      const { header } = blob.location
      const { layout } = await archive.locate(blob)
      const data = await archive.readBlob(blob)
      const pieces: Uint8Array[] = []
      for (let i = 0; i < chunkCount(layout); i++) {
        const chunk = data.subarray(i * layout.chunkSize, (i + 1) * layout.chunkSize)
        const mine = codec.compress(chunk) ?? chunk
        const theirs = original.subarray(layout.dataStart + layout.offsets[i]!, layout.dataStart + layout.offsets[i + 1]!)
        pieces.push(mine.length <= theirs.length ? mine : theirs)
        chunks++
        if (mine.length <= theirs.length) ours++
      }
      const tableSize = (pieces.length - 1) * 4
      file.fill(0, header.offset, header.offset + header.sizeInWim)
      let at = header.offset + tableSize
      pieces.forEach((piece, i) => {
        file.set(piece, at)
        at += piece.length
        if (i < pieces.length - 1) view.setUint32(header.offset + 4 * i, at - header.offset - tableSize, true)
      })
      writeResourceHeader(view, entries.get(blob.hash)!, { ...header, sizeInWim: at - header.offset })
    }
  } finally {
    await archive.close()
  }
  writeFileSync(wimPath, file)
  return { chunks, ours }
}

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('XPRESS against wimlib', () => {
  const dir = tempDir()
  const source = join(dir, 'source')
  const captures: Capture[] = []
  const capture = async (label: string, options: Parameters<typeof wimlibCapture>[2]): Promise<Capture> => {
    const wim = join(dir, `${label}.wim`)
    wimlibCapture(source, wim, { compress: 'xpress', ...options })
    const result = { label, samples: await chunkSamples(wim, source) }
    captures.push(result)
    return result
  }

  beforeAll(async () => {
    buildSampleTree(join(source, 'sample'), { symlinks: false })
    buildCodecCorpus(join(source, 'codec'))
    await capture('default chunks', {})
    await capture('4096-byte chunks', { chunkSize: 4096 })
    await capture('65536-byte chunks', { chunkSize: 65536 })
    await capture('solid', { solid: true, extra: ['--solid-compress=xpress'] })
  })

  it('decompresses every chunk wimlib wrote, at every chunk size, byte for byte', () => {
    for (const { label, samples } of captures) {
      expect(samples.length, label).toBeGreaterThan(20)
      for (const sample of samples) {
        expect(sample.compression).toBe('xpress')
        const codec = codecFor('xpress', sample.chunkSize)
        const out = codec.decompress(sample.compressed, sample.expected.length)
        expect(Buffer.from(out).equals(Buffer.from(sample.expected)), `${label}: ${sample.where}`).toBe(true)
      }
    }
    expect(new Set(captures.flatMap((c) => c.samples.map((s) => s.chunkSize)))).toEqual(new Set([4096, 32768, 65536]))
  })

  it('compresses the same chunks within a few percent of wimlib, and back', () => {
    let allTheirs = 0
    let allOurs = 0
    for (const { label, samples } of captures) {
      const codec = createXpressCodec({ chunkSize: samples[0]!.chunkSize })
      let theirs = 0
      let ours = 0
      for (const sample of samples) {
        const compressed = codec.compress(sample.expected)
        theirs += sample.compressed.length
        ours += compressed ? compressed.length : sample.expected.length
        if (compressed) {
          const back = codec.decompress(compressed, sample.expected.length)
          expect(Buffer.from(back).equals(Buffer.from(sample.expected)), `${label}: ${sample.where}`).toBe(true)
        }
      }
      expect(ours / theirs, label).toBeLessThan(1.04)
      allTheirs += theirs
      allOurs += ours
    }
    // A lighter search than wimlib's default level (see compressor.ts): a little larger, by
    // how much depends on the data (text most).
    expect(allOurs / allTheirs).toBeLessThan(1.03)
  })

  it('writes chunks that wimlib-imagex and 7-Zip decompress', async () => {
    // wimlib's fastest level leaves room for our chunks nearly everywhere.
    const wim = join(dir, 'ours.wim')
    wimlibCapture(source, wim, { compress: 'xpress', extra: ['--compress=xpress:1'] })
    const { chunks, ours } = await rewriteWithOurChunks(wim, createXpressCodec({ chunkSize: 32768 }))
    expect(ours).toBeGreaterThan(chunks * 0.8)
    wimlib(['verify', wim])
    const applied = join(dir, 'applied')
    wimlib(['apply', wim, '1', applied])
    expect(hashTree(applied)).toEqual(hashTree(source))
    // 7-Zip is stricter than wimlib: each chunk must end with the end-of-data symbol and
    // zero bits, exactly at the end of its bytes.
    if (!missingTool('7z', 'p7zip-full')) {
      const extracted = join(dir, 'extracted')
      execFileSync(toolPath('7z'), ['x', `-o${extracted}`, wim], { stdio: 'ignore' })
      expect(hashTree(extracted)).toEqual(hashTree(source))
    }
  })

  it('reports damaged real chunks as CORRUPT, never anything else', () => {
    const rnd = random(99)
    const pool = captures.flatMap((c) => c.samples).filter((_, i) => i % 7 === 0)
    const outcomes = { corrupt: 0, same: 0, different: 0 }
    for (let trial = 0; trial < 3000; trial++) {
      const sample = pool[Math.floor(rnd() * pool.length)]!
      const input = Uint8Array.from(sample.compressed)
      let damaged: Uint8Array = input
      switch (trial % 5) {
        case 0:
          input[Math.floor(rnd() * input.length)]! ^= 1 << Math.floor(rnd() * 8)
          break
        case 1:
          for (let k = 1 + Math.floor(rnd() * 8); k > 0; k--) input[Math.floor(rnd() * input.length)] = Math.floor(rnd() * 256)
          break
        case 2:
          damaged = input.subarray(0, Math.floor(rnd() * input.length))
          break
        case 3:
          input[Math.floor(rnd() * 256)] = Math.floor(rnd() * 256)
          break
        case 4:
          damaged = concat(input.subarray(0, 256), generateBytes(trial, input.length - 256))
          break
      }
      const codec = codecFor('xpress', sample.chunkSize)
      try {
        const out = codec.decompress(damaged, sample.expected.length)
        expect(out.length).toBe(sample.expected.length)
        if (Buffer.from(out).equals(Buffer.from(sample.expected))) outcomes.same++
        else outcomes.different++
      } catch (error) {
        expect(error).toBeInstanceOf(AppError)
        expect((error as AppError).code).toBe('CORRUPT')
        outcomes.corrupt++
      }
    }
    // A flipped offset bit or length byte, or a codeword flipped into another of the same
    // length, keeps the stream in step: only the blob's SHA-1 can tell those apart.
    expect(outcomes.corrupt).toBeGreaterThan(2000)
    expect(outcomes.different).toBeLessThan(600)
  })
})
