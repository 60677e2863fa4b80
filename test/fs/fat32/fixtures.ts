/**
 * Shared helpers of the FAT32 tests: generated trees, volumes written through a real
 * FileTarget, and the peers (fsck.fat, mtools) run on them.
 */
import { extractRegion } from '../../support/image-region'
import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { planFat32, writeFat32, type Fat32Plan, type Fat32PlanOptions, type FatSourceEntry } from '../../../src/main/fs/fat32'
import { generateBytes } from '../../../src/main/jobs/tasks'
import { runTool } from '../../../src/main/platform/run-tool'
import { toolPath } from '../../support/tools'

export const MiB = 1024 * 1024
/** Just above the smallest FAT32 volume (512-byte clusters). */
export const SMALL_VOLUME = 34 * MiB
export const T0 = new Date(Date.UTC(2024, 2, 15, 13, 45, 31, 250))

/** A file entry with known contents, handed out in `chunk`-byte pieces like a stream would. */
export interface FileFixture extends FatSourceEntry {
  kind: 'file'
  data: Uint8Array
}

export function file(path: string, size: number, options: { seed?: number; modified?: Date; created?: Date; accessed?: Date; chunk?: number } = {}): FileFixture {
  const data = generateBytes(options.seed ?? hash(path), size)
  const chunk = options.chunk ?? 64 * 1024
  return {
    path,
    kind: 'file',
    size,
    modified: options.modified ?? T0,
    created: options.created,
    accessed: options.accessed,
    data,
    async *open() {
      for (let at = 0; at < data.length; at += chunk) yield data.slice(at, at + chunk)
    },
  }
}

export function directory(path: string, modified = T0): FatSourceEntry {
  return { path, kind: 'directory', modified }
}

function hash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

export interface BuiltVolume {
  image: string
  offset: number
  plan: Fat32Plan
}

/** Plan and write a volume into a new image file; `offset`/`imageBytes` place it inside a larger image. */
export async function buildVolume(
  path: string,
  options: Omit<Fat32PlanOptions, 'sizeBytes'> & { sizeBytes?: number; offset?: number; imageBytes?: number },
): Promise<BuiltVolume> {
  const { offset = 0, imageBytes, ...planOptions } = options
  const sizeBytes = options.sizeBytes ?? SMALL_VOLUME
  const plan = planFat32({ now: T0, ...planOptions, sizeBytes })
  const target = await FileTarget.create(path, imageBytes ?? offset + sizeBytes)
  try {
    await writeFat32(target, offset, plan)
  } finally {
    await target.close()
  }
  return { image: path, offset, plan }
}

export const MTOOLS_ENV: NodeJS.ProcessEnv = { ...process.env, MTOOLS_SKIP_CHECK: '1', TZ: 'UTC', LC_ALL: 'C.UTF-8' }

async function tool(command: string, args: string[]): Promise<{ exitCode: number | null; output: string }> {
  const result = await runTool(toolPath(command), args, { env: MTOOLS_ENV, timeoutMs: 60_000 })
  return { exitCode: result.exitCode, output: result.stdout + result.stderr }
}

/** fsck.fat -n on the volume; a volume inside a larger image is checked from a copy of its region. */
export async function fsck(volume: Pick<BuiltVolume, 'image' | 'offset'>, sizeBytes: number): Promise<{ exitCode: number | null; output: string }> {
  const path = volume.offset === 0 ? volume.image : extractRegion(volume.image, volume.offset, sizeBytes)
  return tool('fsck.fat', ['-n', path])
}

/**
 * fsck.fat finds nothing to say: its output is its banner and the summary line only (some
 * findings, such as a backup boot sector that differs, do not change its exit code), and
 * the summary counts what the plan put there.
 */
export async function expectClean(volume: BuiltVolume): Promise<void> {
  const { plan } = volume
  const result = await fsck(volume, plan.geometry.totalSectors * 512)
  const lines = result.output.split('\n').filter((l) => l.trim() !== '')
  expect(lines, result.output).toHaveLength(2)
  expect(result.exitCode, result.output).toBe(0)
  const entries = plan.directories.reduce((sum, d) => sum + d.children.length, 0) + (plan.label ? 1 : 0)
  const usedClusters = plan.chains.end - 2
  expect(lines[1]).toMatch(new RegExp(`: ${entries} files, ${usedClusters}/${plan.geometry.clusterCount} clusters$`))
}

function drive(volume: Pick<BuiltVolume, 'image' | 'offset'>): string {
  return `${volume.image}@@${volume.offset}`
}

export async function mdir(volume: Pick<BuiltVolume, 'image' | 'offset'>, path = '/'): Promise<string> {
  const result = await tool('mdir', ['-i', drive(volume), `::${path}`])
  expect(result.exitCode, result.output).toBe(0)
  return result.output
}

/** One mdir line per entry: short base, short extension, and the long name when there is one. */
export interface MdirLine {
  short: string
  long: string | undefined
  size: number | 'dir'
}

export function parseMdir(output: string): MdirLine[] {
  const lines: MdirLine[] = []
  for (const line of output.split('\n')) {
    const match = /^(.{8}) (.{3}) +(<DIR>|\d+) +\d{4}-\d\d-\d\d +\d\d:\d\d(?: +(.*?))? *$/.exec(line)
    if (!match) continue
    const base = match[1]!.trimEnd()
    const extension = match[2]!.trimEnd()
    lines.push({ short: extension ? `${base}.${extension}` : base, long: match[4] || undefined, size: match[3] === '<DIR>' ? 'dir' : Number(match[3]) })
  }
  return lines
}

/** mcopy -s -m everything on the volume into `outDir`. */
export async function mcopyAll(volume: Pick<BuiltVolume, 'image' | 'offset'>, outDir: string): Promise<void> {
  const result = await tool('mcopy', ['-s', '-n', '-m', '-i', drive(volume), '::/*', `${outDir}/`])
  expect(result.exitCode, result.output).toBe(0)
}

/** Every file under `dir`, by '/'-separated relative path. */
export function readTree(dir: string, prefix = ''): Map<string, { data: Buffer; mtimeMs: number } | 'dir'> {
  const tree = new Map<string, { data: Buffer; mtimeMs: number } | 'dir'>()
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      tree.set(path, 'dir')
      for (const [p, v] of readTree(full, path)) tree.set(p, v)
    } else tree.set(path, { data: readFileSync(full), mtimeMs: statSync(full).mtimeMs })
  }
  return tree
}

/** Every file of a fixture tree read back byte-equal by mcopy, with its modification time to FAT's 2 s. */
export function expectTreeEqual(copied: ReturnType<typeof readTree>, entries: FatSourceEntry[]): void {
  const files = entries.filter((e): e is FileFixture => e.kind === 'file')
  for (const f of files) {
    const got = copied.get(f.path)
    expect(got, f.path).toBeTypeOf('object')
    if (typeof got !== 'object') continue
    expect(got.data.length, f.path).toBe(f.size)
    expect(Buffer.compare(got.data, Buffer.from(f.data)), f.path).toBe(0)
    expect(got.mtimeMs, f.path).toBe(Math.floor(f.modified!.getTime() / 2000) * 2000)
  }
  expect([...copied.values()].filter((v) => v !== 'dir').length).toBe(files.length)
}

export function copyImage(from: string, to: string): string {
  copyFileSync(from, to)
  return to
}
