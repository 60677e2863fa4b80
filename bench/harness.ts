/**
 * Benchmarks compare our engine with the reference tool doing the same work in the same run,
 * as ratios. Each side runs as its own process under GNU time, so wall time and peak RSS
 * are measured the same way for both. Our side runs what ships: the built command line, or
 * a benchmark's own script bundled the way the app's main process is (see build.ts), never
 * TypeScript through a runtime transform, which makes hot code measurably slower.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runTool } from '../src/main/platform/run-tool'

export interface Measurement {
  label: string
  seconds: number
  peakRssBytes: number
  /** Size of what was produced, when size matters (compression). */
  outputBytes?: number
}

export interface BenchRow {
  name: string
  ours: Measurement
  reference: Measurement
  /** Targets from the issues: ours / reference must stay at or under these. */
  maxTimeRatio?: number
  maxSizeRatio?: number
  maxPeakRssBytes?: number
}

export interface BenchContext {
  /** A scratch folder for this benchmark, removed afterwards. */
  workDir: string
  log(message: string): void
}

export interface Benchmark {
  name: string
  /** Debian packages of the reference tools, for a clear message when one is missing. */
  needs: Array<{ command: string; debianPackage: string }>
  /** Entries (from the repository root) whose script mode is our side, bundled before the run: name → path. */
  scripts?: Record<string, string>
  run(ctx: BenchContext): Promise<BenchRow[]>
}

export const ROOT = join(__dirname, '..')
/** Where build.ts puts the bundled benchmark scripts. */
export const SCRIPTS_DIR = join(ROOT, 'out', 'bench')
const CLI = join(ROOT, 'out', 'main', 'cli.js')

export interface Command {
  command: string
  args: string[]
}

/** The built command line (`npm run build`), as a technician runs it. */
export function cliCommand(args: string[]): Command {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm run bench does)`)
  return { command: process.execPath, args: [CLI, ...args] }
}

/** A benchmark's own script, bundled by build.ts under the name its benchmark gave it. */
export function scriptCommand(name: string, args: string[]): Command {
  return { command: process.execPath, args: [join(SCRIPTS_DIR, `${name}.js`), ...args] }
}

/** Writes back every dirty page, so no side pays for the writes of the one before. */
export async function syncAll(): Promise<void> {
  const result = await runTool('sync', [], { timeoutMs: 120_000 })
  if (result.exitCode !== 0) throw new Error(`sync failed: ${result.stderr}`)
}

/**
 * Writes back and then empties the page cache, so every side starts with its input on disk,
 * not in memory; false where the system does not allow it (not root, or a container).
 */
export async function dropCaches(): Promise<boolean> {
  await syncAll()
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3')
    return true
  } catch {
    return false
  }
}

export async function measure(label: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'))
  const report = join(dir, 'time.txt')
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%e %M', '-o', report, command, ...args], {
        cwd: options.cwd ?? ROOT,
        env: options.env ?? process.env,
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      child.on('error', reject)
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${label} failed (${code}): ${stderr.slice(-2000)}`))))
    })
    const [seconds, kib] = readFileSync(report, 'utf8').trim().split(/\s+/).slice(-2).map(Number)
    return { label, seconds: seconds!, peakRssBytes: kib! * 1024 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function tempWorkDir(name: string): string {
  return mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), `bench-${name}-`))
}

export interface Side {
  label: string
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  /** Runs before each round of this side, untimed (removing the previous round's output). */
  before?: () => Promise<void>
}

/**
 * The best of a few interleaved rounds of each side: the machine is shared and its disk
 * noisy. Each run starts after `sync`, so neither side pays for the other's dirty pages, and
 * the sides take turns at going first, so neither always runs right after the other's
 * writes. The medians are logged beside the best, to show how noisy the rounds were.
 */
export async function bestOf(ctx: BenchContext, rounds: number, sides: { ours: Side; reference: Side }): Promise<{ ours: Measurement; reference: Measurement }> {
  const all: Record<'ours' | 'reference', Measurement[]> = { ours: [], reference: [] }
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const)
    for (const key of order) {
      const side = sides[key]
      await side.before?.()
      await syncAll()
      const measured = await measure(side.label, side.command, side.args, side.env ? { env: side.env } : {})
      ctx.log(`round ${round}: ${measured.label}: ${measured.seconds.toFixed(2)} s, peak RSS ${Math.round(measured.peakRssBytes / 2 ** 20)} MiB`)
      all[key].push(measured)
    }
  }
  const ours = medianSeconds(all.ours)
  const reference = medianSeconds(all.reference)
  ctx.log(`medians: ours ${ours.toFixed(2)} s, reference ${reference.toFixed(2)} s (ratio ${(ours / reference).toFixed(2)})`)
  return { ours: fastest(all.ours), reference: fastest(all.reference) }
}

export function fastest(runs: Measurement[]): Measurement {
  return runs.reduce((best, m) => (m.seconds < best.seconds ? m : best))
}

/** The median time of some runs (the mean of the middle two for an even count). */
export function medianSeconds(runs: Measurement[]): number {
  const times = runs.map((m) => m.seconds).sort((a, b) => a - b)
  return (times[Math.floor((times.length - 1) / 2)]! + times[Math.ceil((times.length - 1) / 2)]!) / 2
}
