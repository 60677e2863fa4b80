/**
 * `npm run bench [-- filter]`: every benchmark, printed as ratios against the reference tools.
 * npm runs the app's build first, so our side is what ships; this bundles the benchmarks'
 * own scripts.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatBytes } from '../src/shared/format'
import { which } from '../src/main/platform/which'
import { buildScripts } from './build'
import { BENCHMARKS } from './cases'
import { ROOT, tempWorkDir, type BenchRow } from './harness'

function verdict(row: BenchRow): string {
  const failures: string[] = []
  const timeRatio = row.ours.seconds / row.reference.seconds
  if (row.maxTimeRatio !== undefined && timeRatio > row.maxTimeRatio) failures.push(`time ratio > ${row.maxTimeRatio}`)
  if (row.maxSizeRatio !== undefined && row.ours.outputBytes !== undefined && row.reference.outputBytes !== undefined) {
    if (row.ours.outputBytes / row.reference.outputBytes > row.maxSizeRatio) failures.push(`size ratio > ${row.maxSizeRatio}`)
  }
  if (row.maxPeakRssBytes !== undefined && row.ours.peakRssBytes > row.maxPeakRssBytes) failures.push(`peak RSS > ${formatBytes(row.maxPeakRssBytes)}`)
  return failures.length ? `MISSED: ${failures.join(', ')}` : 'ok'
}

function print(rows: BenchRow[]): void {
  for (const row of rows) {
    const size =
      row.ours.outputBytes !== undefined && row.reference.outputBytes !== undefined
        ? `  size ${formatBytes(row.ours.outputBytes)} vs ${formatBytes(row.reference.outputBytes)} = ${(row.ours.outputBytes / row.reference.outputBytes).toFixed(3)}`
        : ''
    process.stdout.write(
      `${row.name}\n` +
        `  ours      ${row.ours.seconds.toFixed(2).padStart(7)} s  peak RSS ${formatBytes(row.ours.peakRssBytes).padStart(10)}  (${row.ours.label})\n` +
        `  reference ${row.reference.seconds.toFixed(2).padStart(7)} s  peak RSS ${formatBytes(row.reference.peakRssBytes).padStart(10)}  (${row.reference.label})\n` +
        `  ratio ${(row.ours.seconds / row.reference.seconds).toFixed(2)} (ours/reference)${size}  -> ${verdict(row)}\n\n`,
    )
  }
}

async function main(): Promise<void> {
  const filter = process.argv[2]
  const selected = BENCHMARKS.filter((b) => !filter || b.name.includes(filter))
  await buildScripts(Object.assign({}, ...selected.map((b) => b.scripts ?? {})))
  const all: Array<BenchRow & { benchmark: string }> = []
  for (const bench of selected) {
    const missing = bench.needs.filter((n) => !which(n.command))
    if (missing.length) {
      process.stdout.write(`${bench.name}: skipped, missing ${missing.map((m) => `${m.command} (Debian package ${m.debianPackage})`).join(', ')}\n\n`)
      continue
    }
    const workDir = tempWorkDir(bench.name)
    try {
      process.stdout.write(`== ${bench.name}\n`)
      const rows = await bench.run({ workDir, log: (m) => process.stdout.write(`   ${m}\n`) })
      print(rows)
      all.push(...rows.map((r) => ({ ...r, benchmark: bench.name })))
    } finally {
      rmSync(workDir, { recursive: true, force: true })
    }
  }
  const resultsDir = join(ROOT, 'bench', 'results')
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(all, null, 2))
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
