import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import type { WimArchive } from '../archive'
import type { BlobEntry } from '../blob-table'
import { chunkCount } from '../chunk-layout'
import type { ExtractTask, Failure, PlainBlobItem, SolidPiece, TargetFile } from './extract-task'

/** A task reads at most this much compressed data at once: bounds each worker's memory. */
const TASK_BYTES = 8 * 1024 * 1024
/** Gaps between blobs smaller than this are read through rather than seeked over. */
const MAX_GAP = 256 * 1024

export interface BlobJob {
  blob: BlobEntry
  /** Files to write the blob into; none when only checking it. */
  targets: TargetFile[]
}

export interface TaskPlan {
  tasks: ExtractTask[]
  /** Blobs written by several tasks: the caller checks (and times) them once all ran. */
  splitBlobs: Array<{ hash: string; targets: TargetFile[] }>
}

/**
 * Groups blobs into worker tasks in file order: runs of small plain blobs that sit close
 * together are read in one go; a large blob is streamed by one task. A solid resource is
 * either cut into runs of chunks (so several workers share it; a blob crossing a cut is
 * left to the caller to check) or, with splitSolid off, handled by one task so that every
 * blob in it is checked in the worker.
 */
export async function planExtractTasks(archive: WimArchive, jobs: BlobJob[], options: { splitSolid: boolean; collectFailures: boolean }): Promise<TaskPlan> {
  const plan: TaskPlan = { tasks: [], splitBlobs: [] }
  const plainByPart = new Map<number, PlainBlobItem[]>()
  const solid = new Map<object, BlobJob[]>()
  for (const job of jobs) {
    const location = job.blob.location
    if (location.kind === 'resource') {
      const list = plainByPart.get(location.part) ?? []
      list.push({ kind: 'plain', hash: job.blob.hash, header: location.header, targets: job.targets })
      plainByPart.set(location.part, list)
    } else {
      const list = solid.get(location.resource) ?? []
      list.push(job)
      solid.set(location.resource, list)
    }
  }

  for (const [partNumber, items] of plainByPart) {
    const part = archive.parts[partNumber - 1]!
    const base = { file: part.reader.name, compression: part.header.compression, chunkSize: part.header.chunkSize, collectFailures: options.collectFailures }
    items.sort((a, b) => a.header.offset - b.header.offset)
    let group: PlainBlobItem[] = []
    const flush = (): void => {
      if (group.length === 0) return
      const start = group[0]!.header.offset
      const last = group[group.length - 1]!.header
      plan.tasks.push({ ...base, region: { offset: start, length: last.offset + last.sizeInWim - start }, items: group })
      group = []
    }
    for (const item of items) {
      if (item.header.sizeInWim > TASK_BYTES) {
        plan.tasks.push({ ...base, region: null, items: [item] })
        continue
      }
      const first = group[0]?.header
      const prev = group[group.length - 1]?.header
      if (first && prev && (item.header.offset - (prev.offset + prev.sizeInWim) > MAX_GAP || item.header.offset + item.header.sizeInWim - first.offset > TASK_BYTES)) flush()
      group.push(item)
    }
    flush()
  }

  for (const resourceJobs of solid.values()) {
    const { layout } = await archive.locate(resourceJobs[0]!.blob)
    const file = archive.partOf(resourceJobs[0]!.blob).reader.name
    const count = chunkCount(layout)
    const split = new Set<string>()
    let first = 0
    while (first < count) {
      let end = first + 1
      if (!options.splitSolid) end = count
      else while (end < count && layout.offsets[end + 1]! - layout.offsets[first]! <= TASK_BYTES) end++
      const rangeStart = first * layout.chunkSize
      const rangeEnd = Math.min(end * layout.chunkSize, layout.uncompressedSize)
      const pieces: SolidPiece[] = []
      for (const job of resourceJobs) {
        const start = job.blob.location.kind === 'solid' ? job.blob.location.offset : 0
        if (start >= rangeEnd || start + job.blob.size <= rangeStart) continue
        const whole = start >= rangeStart && start + job.blob.size <= rangeEnd
        if (!whole) split.add(job.blob.hash)
        pieces.push({ hash: job.blob.hash, start, size: job.blob.size, whole, targets: job.targets })
      }
      if (pieces.length > 0) {
        plan.tasks.push({
          file,
          compression: layout.compression,
          chunkSize: layout.chunkSize,
          region: null,
          collectFailures: options.collectFailures,
          items: [
            {
              kind: 'solid',
              compression: layout.compression,
              chunkSize: layout.chunkSize,
              uncompressedSize: layout.uncompressedSize,
              dataStart: layout.dataStart,
              firstChunk: first,
              offsets: layout.offsets.slice(first, end + 1),
              pieces,
            },
          ],
        })
      }
      first = end
    }
    for (const job of resourceJobs) if (split.has(job.blob.hash)) plan.splitBlobs.push({ hash: job.blob.hash, targets: job.targets })
  }
  return plan
}

/**
 * Runs tasks in the pool, a few ahead of the workers so none waits, reporting bytes as
 * tasks finish. Stops scheduling at the first error or cancel and rethrows it once the
 * tasks already running have ended; returns what verify-mode tasks collected.
 */
export async function runExtractTasks(pool: WorkerPool, tasks: ExtractTask[], ctx: OperationContext): Promise<Failure[]> {
  const inFlight = new Set<Promise<void>>()
  const failures: Failure[] = []
  let error: unknown = null
  for (const task of tasks) {
    if (error || ctx.signal.aborted) break
    const run: Promise<void> = pool
      .run('wim.extract', task, { signal: ctx.signal })
      .then((result) => {
        failures.push(...result.failures)
        ctx.advance(result.bytes)
      })
      .catch((e: unknown) => {
        error ??= e
      })
      .finally(() => inFlight.delete(run))
    inFlight.add(run)
    if (inFlight.size > pool.size) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  if (error) throw error
  return failures
}
