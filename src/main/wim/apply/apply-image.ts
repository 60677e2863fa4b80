import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { link, lutimes, mkdir, open, readdir, symlink, utimes } from 'node:fs/promises'
import { AppError } from '../../../shared/errors'
import type { ApplyReport } from '../../../shared/wim'
import { FileReader } from '../../io/random-access'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import type { WimArchive } from '../archive'
import { HeaderFlag } from '../constants'
import { filetimeToUnix } from '../filetime'
import type { WimInode } from '../metadata/model'
import type { TargetFile } from './extract-task'
import { planExtractTasks, runExtractTasks } from './extract-plan'
import { planApply } from './plan'

export const APPLY_PHASES = [
  { id: 'metadata', label: 'Read image metadata' },
  { id: 'create', label: 'Create folders and files' },
  { id: 'data', label: 'Write file data' },
  { id: 'finish', label: 'Links, times and checks' },
]

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
  const targetsOf = (paths: string[]): TargetFile[] => paths.map((p) => targetFor(p, inodeOf.get(p)!))
  const { tasks, splitBlobs } = await planExtractTasks(
    archive,
    [...plan.blobs].map(([hash, { targets }]) => ({ blob: archive.blob(hash), targets: targetsOf(targets) })),
    { splitSolid: true, collectFailures: false },
  )
  // Files that several tasks write must exist before any of them opens them for update.
  for (const { targets } of splitBlobs) for (const t of targets) await (await open(t.path, 'w')).close()

  ctx.phase('data')
  ctx.setTotal(plan.dataBytes)
  await runExtractTasks(options.pool, tasks, ctx)
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
