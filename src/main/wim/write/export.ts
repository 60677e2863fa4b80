import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { ExportReport } from '../../../shared/wim'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import { WimArchive } from '../archive'
import type { BlobEntry } from '../blob-table'
import { DEFAULT_CHUNK_SIZE, HeaderFlag, type Compression } from '../constants'
import { isValidChunkSize } from '../header'
import { readImagesAndBlobs } from '../image-blobs'
import type { WimImageTree } from '../metadata/model'
import { imageElements } from '../xml/wim-info'
import { renumberedImage } from '../xml/image-xml'
import { setChildText, type XmlElement } from '../xml/xml-dom'
import { storedFromArchive } from './stored-blob'
import { archiveBlobSource, canCopyStored } from './transfer'
import { WimWriter, writerSettings, type StoredBlob } from './wim-writer'

export const EXPORT_PHASES = [
  { id: 'metadata', label: 'Read the images' },
  { id: 'copy', label: 'Copy data' },
  { id: 'compress', label: 'Recompress data' },
  { id: 'finish', label: 'Write metadata and tables' },
]

export interface ExportOptions {
  /** A path, or a WIM the caller opened (and closes): e.g. an install.esd inside an ISO. */
  source: string | WimArchive
  /** Indexes or names, or 'all'. */
  images: Array<number | string> | 'all'
  dest: string
  mode: 'create' | 'append'
  /** For a new file: its compression (default: the source's). An existing file keeps its own. */
  compression?: Compression
  chunkSize?: number
  /** ESD style: LZMS solid resources. */
  solid?: boolean
  integrity?: boolean
  /** Make the (first) exported image the boot image. */
  boot?: boolean
  /** New name and description, when one image is exported. */
  name?: string
  description?: string
  /** Keep this GUID (optimize and join do). */
  guid?: Uint8Array
}

function blobOrder(blob: BlobEntry): number {
  return blob.location.kind === 'resource' ? blob.location.header.offset : blob.location.resource.offset + blob.location.offset / 2 ** 32
}

/**
 * Copies images from one WIM (or ESD, or split set) to another, new or existing: how an
 * install.esd becomes an install.wim, how unwanted editions are left behind, how split
 * parts are joined. Blobs the target already holds are not stored twice; a blob is copied
 * as stored when the target can hold it as it is, otherwise decompressed and compressed
 * again (each recompressed blob is checked against its SHA-1 on the way).
 */
export async function exportImages(options: ExportOptions, pool: WorkerPool, ctx: OperationContext): Promise<ExportReport> {
  const started = performance.now()
  const ownsSource = typeof options.source === 'string'
  const source = typeof options.source === 'string' ? await WimArchive.open(resolve(options.source)) : options.source
  const sourcePath = source.file
  const destPath = resolve(options.dest)
  let sourceOpen = ownsSource
  const existing =
    options.mode === 'append'
      ? await WimArchive.open(destPath).catch(async (e: unknown) => {
          if (ownsSource) await source.close()
          throw e
        })
      : null
  try {
    if (existing && sourcePath === destPath) throw new AppError('VALIDATION', 'Exporting a WIM into itself is not possible: export into another file', { file: destPath })
    const indexes = options.images === 'all' ? source.images.map((i) => i.index) : [...new Set(options.images.map((i) => source.resolveImage(i)))]
    if (indexes.length === 0) throw new AppError('VALIDATION', `${sourcePath} has no images to export`, { file: sourcePath })
    if ((options.name || options.description) && indexes.length !== 1) throw new AppError('VALIDATION', 'A new name or description can be given only when exporting one image')

    const solid = existing ? existing.header.version === 0xe00 && [...existing.blobs.values()].some((b) => b.location.kind === 'solid') : Boolean(options.solid)
    let compression: Compression = existing?.header.compression ?? (solid ? 'lzms' : (options.compression ?? source.header.compression))
    if (solid) compression = 'lzms'
    const chunkSize = existing?.header.chunkSize ?? options.chunkSize ?? (compression === source.header.compression ? source.header.chunkSize : DEFAULT_CHUNK_SIZE[compression])
    if (!isValidChunkSize(compression, chunkSize)) throw new AppError('VALIDATION', `Chunk size ${chunkSize} is not valid for ${compression}`, { chunkSize })
    const target = { compression, chunkSize, solid }

    ctx.phase('metadata')
    const { trees, hashes: needed } = await readImagesAndBlobs(source, indexes)
    const known = new Map<string, StoredBlob>()
    for (const blob of existing?.blobs.values() ?? []) known.set(blob.hash, storedFromArchive(blob))
    const toCopy: BlobEntry[] = []
    const toRecompress: BlobEntry[] = []
    let reused = 0
    for (const hash of needed) {
      if (known.has(hash)) {
        reused++
        continue
      }
      const blob = source.blob(hash)
      ;(canCopyStored(source, blob, target) ? toCopy : toRecompress).push(blob)
    }
    toCopy.sort((a, b) => blobOrder(a) - blobOrder(b))
    toRecompress.sort((a, b) => blobOrder(a) - blobOrder(b))

    const settings = writerSettings({ compression, chunkSize, solid }, pool, ctx)
    const writer = existing ? await WimWriter.append(destPath, existing.parts[0]!.reader.size, settings, known.values()) : await WimWriter.create(destPath, settings)
    try {
      ctx.phase('copy')
      ctx.setTotal(toCopy.reduce((n, b) => n + (b.location.kind === 'resource' ? b.location.header.sizeInWim : 0), 0))
      for (const blob of toCopy) {
        if (blob.location.kind === 'resource') await writer.copyStored(blob, source.partOf(blob).reader, blob.location.header)
      }

      ctx.phase('compress')
      ctx.setTotal(toRecompress.reduce((n, b) => n + b.size, 0))
      const rewritten = await writer.writeBlobs(toRecompress.map((b) => archiveBlobSource(source, b)), { solid })
      rewritten.forEach((stored, i) => {
        if (stored.hash !== toRecompress[i]!.hash) {
          throw new AppError('CORRUPT', `${sourcePath}: blob ${toRecompress[i]!.hash} fails its SHA-1 check while being exported`, { file: sourcePath, blob: toRecompress[i]!.hash })
        }
      })

      ctx.phase('finish')
      const xml: XmlElement = existing ? structuredClone(existing.info.root) : { name: 'WIM', attributes: [], children: [] }
      const sourceImages = imageElements(source.info.root)
      const newImages: Array<{ metadata: StoredBlob; tree: WimImageTree }> = []
      const firstIndex = (existing?.images.length ?? 0) + 1
      for (const [n, index] of indexes.entries()) {
        const metaBlob = source.metadata[index - 1]!
        const metadata =
          canCopyStored(source, metaBlob, target) && metaBlob.location.kind === 'resource'
            ? await writer.copyStored(metaBlob, source.partOf(metaBlob).reader, metaBlob.location.header, { metadata: true })
            : await writer.writeMetadata(trees.get(index)!)
        newImages.push({ metadata, tree: trees.get(index)! })
        const element = renumberedImage(sourceImages[index - 1]!, firstIndex + n)
        if (options.name) setChildText(element, 'NAME', options.name)
        if (options.description) setChildText(element, 'DESCRIPTION', options.description)
        xml.children.push(element)
      }
      const baseRefs = new Map<string, number>()
      for (const blob of existing?.blobs.values() ?? []) baseRefs.set(blob.hash, blob.refCount)
      const sourceBoot = indexes.indexOf(source.header.bootIndex)
      const bootIndex = options.boot ? firstIndex : existing ? existing.header.bootIndex : sourceBoot >= 0 ? firstIndex + sourceBoot : 0
      // The source must be closed before the new file replaces a file of the same name.
      if (ownsSource) await source.close()
      sourceOpen = false
      await writer.commit({
        images: [...(existing?.metadata.map((m) => ({ metadata: storedFromArchive(m) })) ?? []), ...newImages],
        xml,
        baseRefs,
        bootIndex,
        integrity: options.integrity ?? (existing ? existing.header.integrity.sizeInWim > 0 : source.header.integrity.sizeInWim > 0),
        guid: existing?.header.guid ?? options.guid,
        extraFlags: (existing ?? source).header.flags & HeaderFlag.RP_FIX,
      })
      return {
        source: sourcePath,
        dest: destPath,
        mode: options.mode,
        images: indexes.map((sourceIndex, n) => ({ sourceIndex, destIndex: firstIndex + n, name: options.name ?? source.images[sourceIndex - 1]?.name ?? null })),
        compression,
        solid,
        copiedBlobs: toCopy.length,
        recompressedBlobs: toRecompress.length,
        reusedBlobs: reused,
        wimBytes: (await stat(destPath)).size,
        seconds: (performance.now() - started) / 1000,
      }
    } catch (error) {
      await writer.abort()
      throw error
    }
  } finally {
    if (sourceOpen) await source.close()
    await existing?.close()
  }
}
