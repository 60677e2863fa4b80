import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { CaptureReport } from '../../../shared/wim'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import { WimArchive } from '../archive'
import { DEFAULT_CHUNK_SIZE, HeaderFlag, type Compression } from '../constants'
import { isValidChunkSize } from '../header'
import type { WimDentry, WimInode } from '../metadata/model'
import { storedFromArchive } from '../write/stored-blob'
import { WimWriter, writerSettings, type StoredBlob } from '../write/wim-writer'
import { imageStats, newImageElement } from '../xml/image-xml'
import type { XmlElement } from '../xml/xml-dom'
import { CaptureFilter, DEFAULT_CAPTURE_CONFIG, type CaptureConfig } from './exclusions'
import { scanTree } from './scan'
import { storeScannedContents } from './store-contents'

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

const MAX_REPORTED = 200

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
    let chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE[compression]
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

    const known = new Map<string, StoredBlob>()
    for (const blob of existing?.blobs.values() ?? []) known.set(blob.hash, storedFromArchive(blob))
    const settings = writerSettings({ compression, chunkSize, solid }, pool, ctx)
    const writer = existing ? await WimWriter.append(wimPath, existing.parts[0]!.reader.size, settings, known.values()) : await WimWriter.create(wimPath, settings)
    try {
      const stored = await storeScannedContents(scanned, writer, known, { pool, ctx, solid })

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
        ...stored,
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
