import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { CaptureReport } from '../../../shared/wim'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import { WimArchive } from '../archive'
import { HeaderFlag, type Compression } from '../constants'
import { isValidChunkSize } from '../header'
import type { WimDentry, WimInode } from '../metadata/model'
import type { BlobSource } from '../write/blob-writer'
import { storedFromArchive } from '../write/stored-blob'
import { WimWriter, type StoredBlob } from '../write/wim-writer'
import { imageStats, newImageElement } from '../xml/image-xml'
import type { XmlElement } from '../xml/xml-dom'
import { CaptureFilter, DEFAULT_CAPTURE_CONFIG, type CaptureConfig } from './exclusions'
import { scanTree, type PendingData } from './scan'

export const CAPTURE_PHASES = [
  { id: 'scan', label: 'Scan the folder' },
  { id: 'hash', label: 'Find duplicate files' },
  { id: 'write', label: 'Compress and write' },
  { id: 'finish', label: 'Write metadata and tables' },
]

export interface CaptureOptions {
  source: string
  wim: string
  mode: 'create' | 'append'
  name: string
  description?: string
  flags?: string
  compression: Compression
  /** Bytes per chunk; the format's usual size when absent (LZX needs 32 KiB for Microsoft's tools). */
  chunkSize?: number
  /** ESD style: file data in LZMS solid resources. */
  solid?: boolean
  integrity?: boolean
  /** Make the new image the boot image. */
  boot?: boolean
  config?: CaptureConfig
}

const DEFAULT_CHUNK: Record<Compression, number> = { none: 32768, xpress: 32768, lzx: 32768, lzms: 131072 }
/** wimlib's solid chunk size: large chunks are what make ESD files small. */
export const SOLID_CHUNK_SIZE = 64 * 1024 * 1024
const MAX_REPORTED = 200

function fileSource(file: PendingData): BlobSource {
  return { size: file.size, name: file.path, read: () => createReadStream(file.path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array> }
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
 * Captures a folder as a new image, into a new WIM or appended to an existing one. Identical
 * contents are stored once, including contents the WIM already holds. Files whose size
 * matches another are hashed first (in the pool) to find duplicates; the rest are hashed
 * while they are compressed. An append that fails or is cancelled leaves the WIM as it was.
 */
export async function captureImage(options: CaptureOptions, pool: WorkerPool, ctx: OperationContext): Promise<CaptureReport> {
  const started = performance.now()
  const wimPath = resolve(options.wim)
  const existing = options.mode === 'append' ? await WimArchive.open(wimPath) : null
  try {
    let compression = options.compression
    let chunkSize = options.chunkSize ?? DEFAULT_CHUNK[compression]
    if (existing) {
      if (existing.parts.length > 1) throw new AppError('UNSUPPORTED', `${wimPath} is a split WIM: join it before adding images`, { file: wimPath })
      if (existing.header.compression !== compression) {
        ctx.log('warn', `${wimPath} uses ${existing.header.compression.toUpperCase()}: the new image uses it too`)
      }
      compression = existing.header.compression
      chunkSize = existing.header.chunkSize
    }
    if (!isValidChunkSize(compression, chunkSize)) throw new AppError('VALIDATION', `Chunk size ${chunkSize} is not valid for ${compression}`, { chunkSize })
    const solid = Boolean(options.solid)

    ctx.phase('scan')
    const filter = new CaptureFilter(options.config ?? DEFAULT_CAPTURE_CONFIG)
    const scanned = await scanTree(options.source, filter, ctx.signal)
    const dataBytes = scanned.files.reduce((n, f) => n + f.size, 0)
    ctx.log('info', `${scanned.files.length} files with contents (${dataBytes} bytes); ${scanned.excluded.length} paths excluded`)

    ctx.phase('hash')
    const known = new Map<string, StoredBlob>()
    for (const blob of existing?.blobs.values() ?? []) known.set(blob.hash, storedFromArchive(blob))
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

    // Which contents to store: one source per distinct content not already in the WIM.
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
      else plan.set(key, { source: fileSource(file), storeRaw: file.storeRaw && !solid, inodes: [file.inode], expected: hash ?? null })
    }
    for (const [hash, data] of scanned.reparseData) {
      if (known.has(hash)) reused.add(hash)
      else plan.set(hash, { source: bufferSource(data, 'link data'), storeRaw: false, inodes: [], expected: hash })
    }

    ctx.phase('write')
    const entries = [...plan.values()]
    ctx.setTotal(entries.reduce((n, e) => n + e.source.size, 0))
    const settings = {
      compression,
      chunkSize,
      solidChunkSize: solid ? SOLID_CHUNK_SIZE : null,
      solidCompression: 'lzms' as const,
      pool,
      signal: ctx.signal,
      onBytes: (n: number) => ctx.advance(n),
    }
    const originalSize = existing ? existing.parts[0]!.reader.size : 0
    const writer = existing ? await WimWriter.append(wimPath, originalSize, settings, known.values()) : await WimWriter.create(wimPath, settings)
    try {
      const groups = [
        { list: entries.filter((e) => !e.storeRaw), options: { solid } },
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

      ctx.phase('finish')
      const sizeOf = (hash: string): number => writer.stored.get(hash)?.size ?? known.get(hash)!.size
      const stats = imageStats(scanned.tree, sizeOf)
      const metadata = await writer.writeMetadata(scanned.tree)
      const index = (existing?.images.length ?? 0) + 1
      const xml: XmlElement = existing ? structuredClone(existing.info.root) : { name: 'WIM', attributes: [], children: [] }
      xml.children.push(newImageElement(index, { name: options.name, description: options.description, flags: options.flags }, stats))
      const images = [
        ...(existing?.metadata.map((m) => ({ metadata: storedFromArchive(m) })) ?? []),
        { metadata, tree: scanned.tree },
      ]
      const baseRefs = new Map<string, number>()
      for (const blob of existing?.blobs.values() ?? []) baseRefs.set(blob.hash, blob.refCount)
      await writer.commit({
        images,
        xml,
        baseRefs,
        bootIndex: options.boot ? index : (existing?.header.bootIndex ?? 0),
        integrity: options.integrity ?? (existing ? existing.header.integrity.sizeInWim > 0 : false),
        guid: existing?.header.guid,
        extraFlags: HeaderFlag.RP_FIX,
      })
      const counts = countTree(scanned.tree.root)
      return {
        wim: wimPath,
        mode: options.mode,
        image: index,
        imageName: options.name,
        compression,
        solid,
        ...counts,
        dataBytes,
        newBlobs: entries.length,
        reusedBlobs: reused.size,
        wimBytes: (await stat(wimPath)).size,
        excluded: scanned.excluded.slice(0, MAX_REPORTED),
        excludedCount: scanned.excluded.length,
        skipped: scanned.skipped.slice(0, MAX_REPORTED),
        seconds: (performance.now() - started) / 1000,
      }
    } catch (error) {
      await writer.abort()
      throw error
    }
  } finally {
    await existing?.close()
  }
}

function countTree(root: WimDentry): { directories: number; files: number; hardLinks: number; symlinks: number } {
  const counts = { directories: 0, files: 0, hardLinks: 0, symlinks: 0 }
  const seen = new Set<WimInode>()
  const stack = [...(root.children ?? [])]
  while (stack.length > 0) {
    const dentry = stack.pop()!
    if (dentry.children) {
      counts.directories++
      stack.push(...dentry.children)
    } else if (dentry.inode.reparseTag) counts.symlinks++
    else if (seen.has(dentry.inode)) counts.hardLinks++
    else {
      counts.files++
      seen.add(dentry.inode)
    }
  }
  return counts
}
