import type { VerifyReport } from '../../shared/wim'
import type { OperationContext } from '../jobs/operation-context'
import type { WorkerPool } from '../jobs/worker-pool'
import type { WimArchive } from './archive'
import { planExtractTasks, runExtractTasks } from './apply/extract-plan'
import { checkIntegrity, integrityRange } from './integrity'

export const VERIFY_PHASES = [
  { id: 'integrity', label: 'Check the integrity table' },
  { id: 'blobs', label: 'Check every file and metadata resource' },
]

/**
 * Checks a WIM end to end: the integrity table of each part (where present), then every
 * blob and every image's metadata, decompressed in the worker pool and compared with its
 * SHA-1. Problems are collected, not stopped at, so the report lists all of them.
 */
export async function verifyWim(archive: WimArchive, pool: WorkerPool, ctx: OperationContext): Promise<VerifyReport> {
  const started = performance.now()
  const blobs = [...archive.metadata, ...archive.blobs.values()]
  const dataBytes = blobs.reduce((n, b) => n + b.size, 0)
  const integrityBytes = archive.parts.reduce((n, p) => (p.header.integrity.sizeInWim ? n + integrityRange(p.header).end - integrityRange(p.header).start : n), 0)

  ctx.phase('integrity')
  ctx.setTotal(integrityBytes)
  let integrityTable: VerifyReport['integrityTable'] = 'absent'
  const integrityFailures: number[] = []
  for (const part of archive.parts) {
    const bad = await checkIntegrity(part.reader, part.header, (n) => ctx.advance(n))
    if (bad === null) continue
    if (integrityTable === 'absent') integrityTable = 'ok'
    if (bad.length > 0) {
      integrityTable = 'mismatch'
      integrityFailures.push(...bad)
      ctx.log('error', `${part.reader.name}: ${bad.length} chunk(s) fail the integrity table (chunks ${bad.slice(0, 10).join(', ')})`)
    }
  }
  if (integrityTable === 'absent') ctx.log('info', 'No integrity table: checking blob hashes only')

  ctx.phase('blobs')
  ctx.setTotal(dataBytes)
  const { tasks } = await planExtractTasks(
    archive,
    blobs.map((blob) => ({ blob, targets: [] })),
    { splitSolid: false, collectFailures: true },
  )
  const failures = await runExtractTasks(pool, tasks, ctx)
  for (const f of failures.slice(0, 50)) ctx.log('error', `Blob ${f.blob}: ${f.problem}`)
  return {
    wim: archive.file,
    blobs: blobs.length,
    bytes: dataBytes,
    failures,
    integrityTable,
    integrityFailures,
    seconds: (performance.now() - started) / 1000,
  }
}
