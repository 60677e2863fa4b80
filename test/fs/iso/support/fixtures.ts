import { compareNames } from '../../../../src/main/io/names'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { type SourceEntry, type SourceTree } from '../../../../src/main/fs/source-tree'
import { openIso } from '../../../../src/main/fs/iso/iso-image'
import { toolPath } from '../../../support/tools'

/** The time every fixture file and directory is stamped with (ISO 9660 keeps whole seconds). */
export const FIXTURE_TIME = new Date('2021-06-15T12:34:56Z')

/** Deterministic bytes, so a mismatch is reproducible. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length)
  let state = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    bytes[i] = state & 0xff
  }
  return bytes
}

export const UNICODE_NAME = 'Ünïcödé 名前 ☃.txt'
export const LONG_NAME = `${'long-name-'.repeat(6)}.txt`
export const DEEP_DIRECTORY = Array.from({ length: 10 }, (_, i) => `level${i}`).join('/')

/**
 * A small Windows-media-like tree: boot images where Windows keeps them, a multi-sector
 * install.wim, an empty file and directory, a unicode name, a 64-character name (the Joliet
 * limit), mixed case, and a directory ten levels deep.
 */
export function makeSourceTree(root: string): void {
  const files: Record<string, Uint8Array> = {
    'boot/etfsboot.com': pseudoRandomBytes(4096, 1),
    'efi/microsoft/boot/efisys.bin': pseudoRandomBytes(65536 + 123, 2),
    'efi/boot/bootx64.efi': pseudoRandomBytes(10_000, 3),
    'sources/install.wim': pseudoRandomBytes(3 * 1024 * 1024 + 777, 4),
    'setup.exe': pseudoRandomBytes(1, 5),
    'empty.txt': new Uint8Array(0),
    [UNICODE_NAME]: new TextEncoder().encode('unicode\n'),
    [LONG_NAME]: new TextEncoder().encode('long\n'),
    'MixedCase/ReadMe.TXT': new TextEncoder().encode('Read me\r\n'),
    [`${DEEP_DIRECTORY}/leaf.txt`]: new TextEncoder().encode('deep\n'),
  }
  mkdirSync(join(root, 'emptydir'), { recursive: true })
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), bytes)
  }
  stampTree(root)
}

/** Sets every entry's modification time to FIXTURE_TIME, children before parents. */
export function stampTree(root: string): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name)
    if (entry.isDirectory()) stampTree(path)
    utimesSync(path, FIXTURE_TIME, FIXTURE_TIME)
  }
  utimesSync(root, FIXTURE_TIME, FIXTURE_TIME)
}

/** Runs a fixture-building tool, failing with its output when it fails. */
export function run(command: string, args: readonly string[]): string {
  return execFileSync(toolPath(command), args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LC_ALL: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** The El Torito options both mkisofs dialects take for Windows-style BIOS + UEFI boot. */
export const BOOT_OPTIONS = ['-b', 'boot/etfsboot.com', '-no-emul-boot', '-boot-load-size', '8', '-eltorito-alt-boot', '-e', 'efi/microsoft/boot/efisys.bin', '-no-emul-boot']

/**
 * A UDF 1.02 bridge image the way genisoimage makes one: UDF beside Joliet and ISO 9660 with
 * Rock Ridge (which keeps deep directories), Windows-style boot images, no visible catalog file.
 */
export function genisoimageBridge(src: string, out: string, label = 'CCCOMA_X64FRE_EN-US_DV9'): void {
  run('genisoimage', ['-quiet', '-udf', '-J', '-joliet-long', '-R', '-V', label, ...BOOT_OPTIONS, '-hide', 'boot.catalog', '-hide-joliet', 'boot.catalog', '-o', out, src])
}

/** What a walk should yield for a folder, read with plain node:fs: the oracle every tree is held to. */
export function expectedEntries(root: string, prefix = ''): SourceEntry[] {
  const entries: SourceEntry[] = []
  const names = readdirSync(join(root, prefix)).sort(compareNames)
  for (const name of names) {
    const path = prefix === '' ? name : `${prefix}/${name}`
    const info = statSync(join(root, path))
    entries.push({ path, name, isDirectory: info.isDirectory(), size: info.isDirectory() ? 0 : info.size, modified: info.mtime })
    if (info.isDirectory()) entries.push(...expectedEntries(root, path))
  }
  return entries
}

export async function collect(tree: SourceTree): Promise<SourceEntry[]> {
  const entries: SourceEntry[] = []
  for await (const entry of tree.walk()) entries.push(entry)
  return entries
}

/** Every entry of the ISO at `path`, which is closed afterwards whether the walk succeeds or not. */
export async function walkIso(path: string): Promise<SourceEntry[]> {
  const image = await openIso(path)
  try {
    return await collect(image)
  } finally {
    await image.close()
  }
}

/** Whole seconds, as ISO 9660 records them. */
function seconds(date: Date | null): number | null {
  return date === null ? null : Math.floor(date.getTime() / 1000)
}

/** Listing (paths, names, kinds, sizes, dates) and every file's bytes, streamed, equal to the folder's. */
export async function expectTreeEqualsFolder(tree: SourceTree, root: string, options: { dates?: boolean } = {}): Promise<void> {
  const expected = expectedEntries(root)
  const actual = await collect(tree)
  const shape = (entries: SourceEntry[]) =>
    entries.map((e) => ({ path: e.path, name: e.name, isDirectory: e.isDirectory, size: e.size, ...(options.dates === false ? {} : { modified: seconds(e.modified) }) }))
  expect(shape(actual)).toEqual(shape(expected))
  for (const entry of expected.filter((e) => !e.isDirectory)) {
    const chunks: Uint8Array[] = []
    for await (const chunk of tree.stream(entry.path, 64 * 1024 + 3)) chunks.push(chunk)
    expect(Buffer.concat(chunks).equals(readFileSync(join(root, entry.path))), entry.path).toBe(true)
  }
}

/** Positional reads at odd offsets and lengths, each compared with the same bytes of `expected`. */
export async function expectPositionalReads(tree: SourceTree, path: string, expected: Uint8Array, positions: readonly number[]): Promise<void> {
  const file = await tree.open(path)
  try {
    expect(file.size).toBe(expected.length)
    for (const position of positions) {
      const buffer = new Uint8Array(4099)
      const got = await file.read(buffer, position)
      const want = expected.subarray(position, position + buffer.length)
      expect(got, `read at ${position}`).toBe(want.length)
      expect(Buffer.from(buffer.subarray(0, got)).equals(want), `bytes at ${position}`).toBe(true)
    }
  } finally {
    await file.close()
  }
}
