import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateBytes } from '../../../src/main/jobs/tasks'
import { AppError } from '../../../src/shared/errors'
import { createLzmsCodec } from '../../../src/main/wim/codecs/lzms'
import { chunkSamples, type ChunkSample } from '../../support/wim-chunks'
import { tempDir } from '../../support/temp'
import { missingTool } from '../../support/tools'
import { buildSampleTree, textBytes, wimlibCapture } from '../../support/wim-fixtures'

/** Small real x86-64 executables: the data LZMS's x86 filter is for. */
function executables(limit: number): { name: string; data: Uint8Array }[] {
  const out: { name: string; data: Uint8Array }[] = []
  let total = 0
  for (const name of readdirSync('/usr/bin').sort()) {
    const path = join('/usr/bin', name)
    const st = statSync(path, { throwIfNoEntry: false })
    if (!st?.isFile() || st.size < 30_000 || st.size > 150_000) continue
    out.push({ name, data: readFileSync(path) })
    total += st.size
    if (total >= limit) break
  }
  return out
}

/** Little-endian integers that change steadily, with noise: what delta matches are for. */
function ramps(seed: number, length: number, width: 2 | 4): Uint8Array {
  const out = new Uint8Array(length)
  const view = new DataView(out.buffer)
  let x = seed
  for (let i = 0; i + width <= length; i += width) {
    x = (x * 1103515245 + 12345) >>> 0
    const value = i * 37 + ((x >>> 16) & 3)
    if (width === 2) view.setUint16(i, value & 0xffff, true)
    else view.setUint32(i, value >>> 0, true)
  }
  return out
}

/** A block of random bytes repeated with a few changes: long matches at one offset, and near misses. */
function repetitive(seed: number, length: number): Uint8Array {
  const block = generateBytes(seed, 5000)
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = block[i % 5000]! ^ (i % 4093 === 0 ? 0x55 : 0)
  return out
}

/** The corpus every test here uses: about 1.3 MB of the kinds of data LZMS meets. */
function buildCorpus(root: string): void {
  const put = (path: string, data: Uint8Array): void => {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), data)
  }
  for (const { name, data } of executables(400_000)) put(`x86/${name}`, data)
  put('text/words.txt', textBytes(21, 250_000))
  put('delta/ramp16.bin', ramps(1, 120_000, 2))
  put('delta/ramp32.bin', ramps(2, 120_000, 4))
  put('repetitive.bin', repetitive(3, 150_000))
  put('random.bin', generateBytes(4, 80_000))
  const runs = new Uint8Array(100_000)
  for (let i = 0; i < runs.length; i++) runs[i] = (i >> 11) * 7
  put('runs.bin', runs)
  put('zeros.bin', new Uint8Array(70_000))
}

function expectSameBytes(actual: Uint8Array, expected: Uint8Array, where: string): void {
  if (actual.length === expected.length && Buffer.compare(actual, expected) === 0) return
  let at = 0
  while (at < actual.length && actual[at] === expected[at]) at++
  expect.fail(`${where}: ${actual.length} bytes differ from the expected ${expected.length} at ${at}`)
}

/** The error decompress threw, or undefined when it returned. */
function decompressError(input: Uint8Array, outputSize: number, chunkSize: number): unknown {
  try {
    createLzmsCodec({ chunkSize }).decompress(input, outputSize)
    return undefined
  } catch (error) {
    return error
  }
}

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

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('LZMS chunks written by wimlib', () => {
  const dir = tempDir('lzms-')
  const corpus = join(dir, 'corpus')
  const sample = join(dir, 'sample')
  const captured = new Map<string, ChunkSample[]>()
  const captures: [string, string, Parameters<typeof wimlibCapture>[2]][] = [
    ['solid, one big chunk', corpus, { compress: 'lzms', solid: true }],
    ['solid, 256 KiB chunks', corpus, { compress: 'lzms', solid: true, extra: ['--solid-chunk-size=256K'] }],
    ['solid sample tree', sample, { compress: 'lzms', solid: true }],
    ['non-solid, 32 KiB chunks', corpus, { compress: 'lzms', chunkSize: 32768 }],
    ['non-solid, 128 KiB chunks', sample, { compress: 'lzms', chunkSize: 131072 }],
    ['non-solid, 1 MiB chunks', corpus, { compress: 'lzms', chunkSize: 1 << 20 }],
  ]

  beforeAll(async () => {
    buildCorpus(corpus)
    // Reparse-point data has no file of its own to compare a solid stream with.
    buildSampleTree(sample, { symlinks: false })
    for (const [name, source, options] of captures) {
      const wim = join(dir, `${captured.size}.wim`)
      wimlibCapture(source, wim, options)
      captured.set(name, await chunkSamples(wim, source))
    }
  })

  it.each(captures.map(([name]) => name))('decompresses every chunk of a WIM made %s', (name) => {
    const samples = captured.get(name)!
    expect(samples.length).toBeGreaterThan(0)
    for (const s of samples) {
      expect(s.compression).toBe('lzms')
      expectSameBytes(createLzmsCodec({ chunkSize: s.chunkSize }).decompress(s.compressed, s.expected.length), s.expected, `${name}, ${s.where}`)
    }
  })

  it('covers one big solid chunk and many small chunks', () => {
    const solid = captured.get('solid, one big chunk')!
    expect(solid).toHaveLength(1)
    expect(solid[0]!.expected.length).toBeGreaterThan(1_000_000)
    expect(captured.get('non-solid, 32 KiB chunks')!.length).toBeGreaterThan(30)
  })

  it('reports damaged chunks as CORRUPT, never with another error', () => {
    const rnd = random(99)
    const chunks = [...captured.get('non-solid, 32 KiB chunks')!, ...captured.get('solid, 256 KiB chunks')!].filter((_, i) => i % 3 === 0)
    let corrupt = 0
    let wrong = 0
    for (let trial = 0; trial < 240; trial++) {
      const s = chunks[trial % chunks.length]!
      const input = s.compressed.slice()
      let damaged: Uint8Array = input
      switch (trial % 4) {
        case 0:
          // A few flipped bits.
          for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--) input[Math.floor(rnd() * input.length)]! ^= 1 << Math.floor(rnd() * 8)
          break
        case 1:
          // Cut short, at an even or odd length.
          damaged = input.subarray(0, Math.floor(rnd() * input.length))
          break
        case 2:
          // A run of garbage.
          for (let at = Math.floor(rnd() * input.length), end = Math.min(input.length, at + 64); at < end; at++) input[at] = Math.floor(rnd() * 256)
          break
        default:
          damaged = generateBytes(trial, input.length)
      }
      const error = decompressError(damaged, s.expected.length, s.chunkSize)
      if (error === undefined) {
        wrong++
        continue
      }
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('CORRUPT')
      corrupt++
    }
    // Undetectable damage (bits that change only some output) exists, but must be rare.
    expect(corrupt).toBeGreaterThan(200)
    expect(wrong).toBeLessThan(40)
  })
})

describe('LZMS round trips through our compressor', () => {
  const dir = tempDir('lzms-rt-')

  it('gives back every chunk of a mixed corpus, at small and large chunk sizes', () => {
    buildCorpus(join(dir, 'corpus'))
    const files = [...readdirSync(join(dir, 'corpus'), { recursive: true, encoding: 'utf8' })]
      .map((name) => join(dir, 'corpus', name))
      .filter((path) => statSync(path).isFile())
      .map((path) => readFileSync(path))
    for (const chunkSize of [65536, 1 << 20]) {
      const codec = createLzmsCodec({ chunkSize })
      let compressedTotal = 0
      let total = 0
      for (const file of files) {
        for (let at = 0; at < file.length; at += chunkSize) {
          const chunk = file.subarray(at, at + chunkSize)
          const compressed = codec.compress(chunk)
          total += chunk.length
          compressedTotal += compressed?.length ?? chunk.length
          if (compressed) {
            expect(compressed.length).toBeLessThan(chunk.length)
            expectSameBytes(codec.decompress(compressed, chunk.length), chunk, `${chunkSize}-byte chunks, ${at}`)
          }
        }
      }
      // The corpus is about a third compressible text and code, a third near-free runs.
      expect(compressedTotal / total).toBeLessThan(0.4)
    }
  })

  it('handles edge cases: tiny, empty-ish, incompressible, exactly one chunk and one byte more', () => {
    const chunkSize = 32768
    const codec = createLzmsCodec({ chunkSize })
    expect(codec.compress(Uint8Array.of(42))).toBeNull()
    expect(codec.compress(generateBytes(5, chunkSize))).toBeNull()
    const cases = [new Uint8Array(chunkSize), textBytes(6, chunkSize), textBytes(7, 100), repetitive(8, chunkSize), new Uint8Array(20).fill(0xe8)]
    for (const [i, data] of cases.entries()) {
      const compressed = codec.compress(data)
      expect(compressed, `case ${i}`).not.toBeNull()
      expect(compressed!.length % 2).toBe(0)
      expectSameBytes(codec.decompress(compressed!, data.length), data, `case ${i}`)
    }
    expect(codec.compress(new Uint8Array(chunkSize))!.length).toBeLessThan(20)
    expect(() => codec.compress(new Uint8Array(chunkSize + 1))).toThrow(AppError)
    expect(() => codec.decompress(new Uint8Array(8), chunkSize + 1)).toThrow(/does not fit the chunk size/)
  })

  it('refuses input that cannot be LZMS', () => {
    for (const [input, size] of [[new Uint8Array(3), 100], [new Uint8Array(7), 100]] as const) {
      const error = decompressError(input, size, 32768)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('CORRUPT')
    }
  })
})

/**
 * wimlib's own decoder on our chunks, through its library (libwim, with wimtools) and Python's
 * ctypes: until our WIM writer lands, the closest a real peer can get to them.
 */
function wimlibDecompress(dir: string, chunks: { compressed: Uint8Array; size: number }[], chunkSize: number): Uint8Array[] {
  chunks.forEach((c, i) => writeFileSync(join(dir, `${i}.lzms`), c.compressed))
  const script = `
import ctypes, sys
lib = ctypes.CDLL('libwim.so.15')
dec = ctypes.c_void_p()
assert lib.wimlib_create_decompressor(3, ctypes.c_size_t(int(sys.argv[2])), ctypes.byref(dec)) == 0
for i, size in enumerate(int(s) for s in sys.argv[3:]):
    data = open(f'{sys.argv[1]}/{i}.lzms', 'rb').read()
    out = ctypes.create_string_buffer(size)
    if lib.wimlib_decompress(data, ctypes.c_size_t(len(data)), out, ctypes.c_size_t(size), dec) != 0:
        sys.exit(f'wimlib refused chunk {i}')
    open(f'{sys.argv[1]}/{i}.out', 'wb').write(out.raw)
`
  execFileSync('python3', ['-c', script, dir, String(chunkSize), ...chunks.map((c) => String(c.size))], { stdio: ['ignore', 'ignore', 'pipe'] })
  return chunks.map((_, i) => readFileSync(join(dir, `${i}.out`)))
}

function missingLibwim(): boolean {
  if (missingTool('python3', 'python3') || missingTool('wimlib-imagex', 'wimtools')) return true
  try {
    execFileSync('python3', ['-c', "import ctypes; ctypes.CDLL('libwim.so.15')"], { stdio: 'ignore' })
    return false
  } catch {
    if (process.env.CI) throw new Error('libwim.so.15 not loadable: install the Debian package wimtools')
    return true
  }
}

describe.skipIf(missingLibwim())('LZMS chunks we write, read by wimlib', () => {
  const dir = tempDir('lzms-peer-')

  it('decompresses to the original bytes', () => {
    const chunkSize = 1 << 18
    const codec = createLzmsCodec({ chunkSize })
    const inputs = [
      ...executables(500_000).map((e) => e.data.subarray(0, chunkSize)),
      textBytes(9, chunkSize),
      ramps(3, chunkSize, 2),
      ramps(4, 100_000, 4),
      repetitive(10, 200_000),
      new Uint8Array(chunkSize),
    ]
    const chunks = inputs.map((data) => ({ compressed: codec.compress(data)!, size: data.length }))
    for (const c of chunks) expect(c.compressed).not.toBeNull()
    const outputs = wimlibDecompress(dir, chunks, chunkSize)
    outputs.forEach((out, i) => expectSameBytes(out, inputs[i]!, `chunk ${i}`))
  })
})
