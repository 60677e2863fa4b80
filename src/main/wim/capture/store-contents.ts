import { AppError } from '../../../shared/errors'
import { readFilePieces } from '../../io/file-pieces'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import type { WimInode } from '../metadata/model'
import type { BlobSource } from '../write/blob-writer'
import type { StoredBlob, WimWriter } from '../write/wim-writer'
import type { PendingData, ScannedTree } from './scan'

export interface StoreResult {
  /** Distinct contents stored now, and distinct contents the WIM already held. */
  newBlobs: number
  reusedBlobs: number
}

function fileSource(file: PendingData): BlobSource {
  return { size: file.size, name: file.path, read: () => readFilePieces(file.path), independent: true }
}

function bufferSource(data: Uint8Array, name: string): BlobSource {
  return {
    size: data.length,
    name,
    read: async function* () {
      yield data
    },
  }
}

/**
 * Stores the contents of scanned files (and links) once each, and points their inodes at
 * them. Files whose size matches another's, or a blob the WIM already holds, are hashed
 * first in the pool (phase "hash") to find duplicates; the rest are hashed while they are
 * compressed (phase "write"). A file that changes between the two reads is an error.
 */
export async function storeScannedContents(
  scanned: Pick<ScannedTree, 'files' | 'reparseData'>,
  writer: WimWriter,
  known: ReadonlyMap<string, StoredBlob>,
  options: { pool: WorkerPool; ctx: OperationContext; solid: boolean },
): Promise<StoreResult> {
  const { pool, ctx } = options
  ctx.phase('hash')
  const knownSizes = new Set([...known.values()].map((b) => b.size))
  const bySize = new Map<number, number>()
  for (const f of scanned.files) bySize.set(f.size, (bySize.get(f.size) ?? 0) + 1)
  const toHash = scanned.files.filter((f) => bySize.get(f.size)! > 1 || knownSizes.has(f.size))
  ctx.setTotal(toHash.reduce((n, f) => n + f.size, 0))
  const preHashed = new Map<PendingData, string>()
  await Promise.all(
    toHash.map(async (file) => {
      const { hash, size } = await pool.run('wim.hashFile', { path: file.path }, { signal: ctx.signal })
      if (size !== file.size) throw new AppError('IO', `${file.path} changed while it was being captured`, { path: file.path })
      preHashed.set(file, hash)
      ctx.advance(size)
    }),
  )

  // One source per distinct content the WIM does not hold yet.
  const plan = new Map<string, { source: BlobSource; storeRaw: boolean; inodes: WimInode[]; expected: string | null }>()
  const reused = new Set<string>()
  for (const file of scanned.files) {
    const hash = preHashed.get(file)
    if (hash && known.has(hash)) {
      file.inode.streams = [{ name: '', kind: 'data', hash }]
      reused.add(hash)
      continue
    }
    const key = hash ?? `path:${file.path}`
    const entry = plan.get(key)
    if (entry) entry.inodes.push(file.inode)
    else plan.set(key, { source: fileSource(file), storeRaw: file.storeRaw && !options.solid, inodes: [file.inode], expected: hash ?? null })
  }
  for (const [hash, data] of scanned.reparseData) {
    if (known.has(hash)) reused.add(hash)
    else plan.set(hash, { source: bufferSource(data, 'link data'), storeRaw: false, inodes: [], expected: hash })
  }

  ctx.phase('write')
  const entries = [...plan.values()]
  ctx.setTotal(entries.reduce((n, e) => n + e.source.size, 0))
  const groups = [
    { list: entries.filter((e) => !e.storeRaw), options: { solid: options.solid } },
    { list: entries.filter((e) => e.storeRaw), options: { solid: false, compression: 'none' as const } },
  ]
  for (const group of groups) {
    if (group.list.length === 0) continue
    const stored = await writer.writeBlobs(
      group.list.map((e) => e.source),
      group.options,
    )
    stored.forEach((blob, i) => {
      const entry = group.list[i]!
      if (entry.expected && entry.expected !== blob.hash) {
        throw new AppError('IO', `${entry.source.name} changed while it was being captured`, { path: entry.source.name })
      }
      for (const inode of entry.inodes) inode.streams = [{ name: '', kind: 'data', hash: blob.hash }]
    })
  }
  return { newBlobs: entries.length, reusedBlobs: reused.size }
}
