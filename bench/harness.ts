/**
 * Benchmarks compare our engine with the reference tool doing the same work in the same run,
 * as ratios. Each side runs as its own process under GNU time, so wall time and peak RSS
 * are measured the same way for both.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
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
  run(ctx: BenchContext): Promise<BenchRow[]>
}

export const ROOT = join(__dirname, '..')

/** Our code as a process: a TypeScript entry run through tsx. */
export function oursCommand(script: string, args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', 'tsx', join(ROOT, script), ...args] }
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

/** The command line as built (`npm run build`): benchmarks measure what ships, not a transpile-on-load run. */
export function builtCli(): string {
  const cli = join(ROOT, 'out', 'main', 'cli.js')
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm run bench does)`)
  return cli
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
 * noisy. Each run starts after `sync`, so neither side pays for the other's dirty pages.
 */
export async function bestOf(ctx: BenchContext, rounds: number, sides: { ours: Side; reference: Side }): Promise<{ ours: Measurement; reference: Measurement }> {
  const best: Partial<Record<'ours' | 'reference', Measurement>> = {}
  for (let round = 1; round <= rounds; round++) {
    for (const key of ['ours', 'reference'] as const) {
      const side = sides[key]
      await side.before?.()
      await runTool('sync', [], { timeoutMs: 300_000 })
      const measured = await measure(side.label, side.command, side.args, side.env ? { env: side.env } : {})
      ctx.log(`round ${round}: ${measured.label}: ${measured.seconds.toFixed(2)} s, peak RSS ${Math.round(measured.peakRssBytes / 2 ** 20)} MiB`)
      if (measured.seconds < (best[key]?.seconds ?? Infinity)) best[key] = measured
    }
  }
  return { ours: best.ours!, reference: best.reference! }
}
