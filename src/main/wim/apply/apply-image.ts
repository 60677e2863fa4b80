import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { link, lutimes, mkdir, open, readdir, symlink, utimes } from 'node:fs/promises'
import { AppError } from '../../../shared/errors'
import type { ApplyReport } from '../../../shared/wim'
import { FileReader } from '../../io/random-access'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import type { WimArchive } from '../archive'
import { chunkCount } from '../chunk-layout'
import { HeaderFlag } from '../constants'
import { filetimeToUnix } from '../filetime'
import type { WimInode } from '../metadata/model'
import type { ExtractTask, PlainBlobItem, SolidPiece, TargetFile } from './extract-task'
import { planApply, type ApplyPlan } from './plan'

export const APPLY_PHASES = [
  { id: 'metadata', label: 'Read image metadata' },
  { id: 'create', label: 'Create folders and files' },
  { id: 'data', label: 'Write file data' },
  { id: 'finish', label: 'Links, times and checks' },
]

/** A task reads at most this much compressed data at once: bounds each worker's memory. */
const TASK_BYTES = 8 * 1024 * 1024
/** Gaps between blobs smaller than this are read through rather than seeked over. */
const MAX_GAP = 256 * 1024
const MAX_REPORTED_SKIPS = 1000

export interface ApplyOptions {
  pool: WorkerPool
  /** Image paths to extract (each lands directly in target); all of the image when absent. */
  paths?: string[]
}

function seconds(filetime: bigint): number {
  const { seconds: s, nanoseconds } = filetimeToUnix(filetime)
  return s + nanoseconds / 1e9
}

function targetFor(path: string, inode: WimInode): TargetFile {
  return { path, atime: seconds(inode.lastAccessTime), mtime: seconds(inode.lastWriteTime) }
}

async function ensureEmptyDirectory(path: string): Promise<void> {
  try {
    const entries = await readdir(path)
    if (entries.length > 0) {
      throw new AppError('CONFLICT', `${path} is not empty: apply into an empty or new folder`, { path })
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    await mkdir(path, { recursive: true })
  }
}

interface TaskBuild {
  tasks: ExtractTask[]
  /** Blobs written by several tasks: checked and timed after all of them ran. */
  splitBlobs: Array<{ hash: string; targets: TargetFile[] }>
}

/**
 * Groups the blobs to write into worker tasks in file order: runs of small plain blobs that
 * sit close together are read in one go; a large blob is streamed by one task; solid
 * resources are cut into runs of chunks, and a blob crossing a cut is written by each task
 * that holds part of it, then checked as a whole at the end.
 */
async function buildTasks(archive: WimArchive, plan: ApplyPlan, inodeOf: Map<string, WimInode>): Promise<TaskBuild> {
  const build: TaskBuild = { tasks: [], splitBlobs: [] }
  const targetsOf = (paths: string[]): TargetFile[] => paths.map((p) => targetFor(p, inodeOf.get(p)!))
  const plainByPart = new Map<number, PlainBlobItem[]>()
  const solid = new Map<object, Array<{ hash: string; start: number; size: number; targets: string[] }>>()

  for (const [hash, { targets }] of plan.blobs) {
    const blob = archive.blob(hash)
    if (blob.location.kind === 'resource') {
      const list = plainByPart.get(blob.location.part) ?? []
      list.push({ kind: 'plain', hash, header: blob.location.header, targets: targetsOf(targets) })
      plainByPart.set(blob.location.part, list)
    } else {
      const list = solid.get(blob.location.resource) ?? []
      list.push({ hash, start: blob.location.offset, size: blob.size, targets })
      solid.set(blob.location.resource, list)
    }
  }

  for (const [partNumber, items] of plainByPart) {
    const part = archive.parts[partNumber - 1]!
    const file = part.reader.name
    const base = { file, compression: part.header.compression, chunkSize: part.header.chunkSize }
    items.sort((a, b) => a.header.offset - b.header.offset)
    let group: PlainBlobItem[] = []
    const flush = (): void => {
      if (group.length === 0) return
      const start = group[0]!.header.offset
      const last = group[group.length - 1]!.header
      build.tasks.push({ ...base, region: { offset: start, length: last.offset + last.sizeInWim - start }, items: group })
      group = []
    }
    for (const item of items) {
      if (item.header.sizeInWim > TASK_BYTES) {
        build.tasks.push({ ...base, region: null, items: [item] })
        continue
      }
      const first = group[0]?.header
      const prev = group[group.length - 1]?.header
      if (first && prev && (item.header.offset - (prev.offset + prev.sizeInWim) > MAX_GAP || item.header.offset + item.header.sizeInWim - first.offset > TASK_BYTES)) flush()
      group.push(item)
    }
    flush()
  }

  for (const pieces of solid.values()) {
    const blob = archive.blob(pieces[0]!.hash)
    const { layout } = await archive.locate(blob)
    const file = archive.partOf(blob).reader.name
    const count = chunkCount(layout)
    const split = new Set<string>()
    let first = 0
    while (first < count) {
      let end = first + 1
      while (end < count && layout.offsets[end + 1]! - layout.offsets[first]! <= TASK_BYTES) end++
      const rangeStart = first * layout.chunkSize
      const rangeEnd = Math.min(end * layout.chunkSize, layout.uncompressedSize)
      const inRange: SolidPiece[] = []
      for (const p of pieces) {
        if (p.start >= rangeEnd || p.start + p.size <= rangeStart) continue
        const whole = p.start >= rangeStart && p.start + p.size <= rangeEnd
        if (!whole) split.add(p.hash)
        inRange.push({ hash: p.hash, start: p.start, size: p.size, whole, targets: targetsOf(p.targets) })
      }
      if (inRange.length > 0) {
        build.tasks.push({
          file,
          compression: layout.compression,
          chunkSize: layout.chunkSize,
          region: null,
          items: [
            {
              kind: 'solid',
              compression: layout.compression,
              chunkSize: layout.chunkSize,
              uncompressedSize: layout.uncompressedSize,
              dataStart: layout.dataStart,
              firstChunk: first,
              offsets: layout.offsets.slice(first, end + 1),
              pieces: inRange,
            },
          ],
        })
      }
      first = end
    }
    for (const p of pieces) if (split.has(p.hash)) build.splitBlobs.push({ hash: p.hash, targets: targetsOf(p.targets) })
  }
  return build
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha1')
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Applies one image to a folder on this host: the whole tree with contents, times, hard
 * links and symbolic links, decompressing in the worker pool with bounded memory. What the
 * host cannot hold (ACLs, named streams, short names, Windows attributes) is counted in the
 * report, and anything skipped is listed with its reason.
 */
export async function applyImage(archive: WimArchive, index: number, target: string, options: ApplyOptions, ctx: OperationContext): Promise<ApplyReport> {
  const started = performance.now()
  for (const part of archive.parts) {
    if (!(part.reader instanceof FileReader)) throw new AppError('UNSUPPORTED', `Applying needs the WIM as a file on disk (${part.reader.name} is not)`, { file: part.reader.name })
  }
  ctx.phase('metadata')
  const tree = await archive.readImageTree(index)
  for (const warning of [...archive.warnings, ...tree.warnings]) ctx.log('warn', warning)
  const plan = await planApply(tree, {
    root: target,
    paths: options.paths,
    rpfix: (archive.header.flags & HeaderFlag.RP_FIX) !== 0,
    readReparseData: (hash) => archive.readBlob(archive.blob(hash)),
    blobSize: (hash) => archive.blob(hash).size,
  })
  ctx.log('info', `${plan.directories.length} folders, ${plan.files.length} files, ${plan.symlinks.length} links, ${plan.blobs.size} distinct contents`)

  ctx.phase('create')
  ctx.signal.throwIfAborted()
  await ensureEmptyDirectory(target)
  for (const dir of plan.directories) await mkdir(dir.path)
  const inodeOf = new Map<string, WimInode>()
  const emptyFiles: TargetFile[] = []
  for (const file of plan.files) {
    if (file.linkTo) continue
    inodeOf.set(file.path, file.inode)
    const hasData = file.inode.streams.some((s) => s.kind === 'data' && s.name === '' && s.hash)
    if (!hasData) {
      await (await open(file.path, 'w')).close()
      emptyFiles.push(targetFor(file.path, file.inode))
    }
  }
  const { tasks, splitBlobs } = await buildTasks(archive, plan, inodeOf)
  // Files that several tasks write must exist before any of them opens them for update.
  for (const { targets } of splitBlobs) for (const t of targets) await (await open(t.path, 'w')).close()

  ctx.phase('data')
  ctx.setTotal(plan.dataBytes)
  const inFlight = new Set<Promise<void>>()
  let failure: unknown = null
  for (const task of tasks) {
    if (failure || ctx.signal.aborted) break
    const run = options.pool
      .run('wim.extract', task, { signal: ctx.signal })
      .then(({ bytes }) => ctx.advance(bytes))
      .catch((error: unknown) => {
        failure ??= error
      })
      .finally(() => inFlight.delete(run))
    inFlight.add(run)
    if (inFlight.size > options.pool.size) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  if (failure) throw failure
  ctx.signal.throwIfAborted()

  ctx.phase('finish')
  for (const { hash, targets } of splitBlobs) {
    const actual = await hashFile(targets[0]!.path)
    if (actual !== hash) throw new AppError('CORRUPT', `${archive.file}: data of ${targets[0]!.path} fails its SHA-1 check`, { file: archive.file, blob: hash })
    for (const t of targets) await utimes(t.path, t.atime!, t.mtime!)
  }
  let hardLinks = 0
  for (const file of plan.files) {
    if (!file.linkTo) continue
    await link(file.linkTo, file.path)
    hardLinks++
  }
  for (const t of emptyFiles) await utimes(t.path, t.atime!, t.mtime!)
  for (const s of plan.symlinks) {
    await symlink(s.target, s.path)
    const t = targetFor(s.path, s.inode)
    await lutimes(s.path, t.atime!, t.mtime!)
  }
  // Deepest first: setting a folder's times must come after everything inside it is made.
  for (let i = plan.directories.length - 1; i >= 0; i--) {
    const dir = plan.directories[i]!
    const t = targetFor(dir.path, dir.inode)
    await utimes(dir.path, t.atime!, t.mtime!)
  }
  if (!options.paths?.length) {
    const t = targetFor(target, tree.root.inode)
    if (tree.root.inode.lastWriteTime !== 0n) await utimes(target, t.atime!, t.mtime!)
  }
  for (const skip of plan.skipped.slice(0, 20)) ctx.log('warn', `Skipped ${skip.wimPath}: ${skip.reason}`)
  if (plan.skipped.length > 20) ctx.log('warn', `... and ${plan.skipped.length - 20} more skipped`)

  return {
    wim: archive.file,
    image: index,
    imageName: archive.images[index - 1]?.name ?? null,
    target,
    engine: 'built-in',
    directories: plan.directories.length,
    files: plan.files.length - hardLinks,
    hardLinks,
    symlinks: plan.symlinks.length,
    bytes: plan.dataBytes,
    seconds: (performance.now() - started) / 1000,
    skipped: plan.skipped.slice(0, MAX_REPORTED_SKIPS).map((s) => ({ path: s.wimPath, reason: s.reason })),
    skippedCount: plan.skipped.length,
    unrestored: plan.unrestored,
    warnings: [...archive.warnings, ...tree.warnings],
  }
}
