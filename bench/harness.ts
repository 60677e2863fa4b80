/**
 * Benchmarks compare our engine with the reference tool doing the same work in the same run,
 * as ratios. Each side runs as its own process under GNU time, so wall time and peak RSS
 * are measured the same way for both.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

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
