import { randomBytes } from 'node:crypto'
import { rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { FileReader, type RandomAccessReader } from '../../io/random-access'
import type { WorkerPool } from '../../jobs/worker-pool'
import { serializeBlobTable, type BlobTableRecord, type SolidResource } from '../blob-table'
import { HeaderFlag, ResourceFlag, SOLID_CHUNK_SIZE, SOLID_RESOURCE_MAGIC, WIM_HEADER_SIZE, WIM_VERSION_DEFAULT, WIM_VERSION_SOLID, type Compression } from '../constants'
import { compressionFlags, serializeHeader, type WimHeader } from '../header'
import { hashIntegrityChunks, INTEGRITY_CHUNK_SIZE, integrityRange, serializeIntegrityTable } from '../integrity'
import type { WimImageTree } from '../metadata/model'
import { serializeMetadata } from '../metadata/dentry-writer'
import { EMPTY_RESOURCE, type ResourceHeader } from '../resource-header'
import { fromHex, ZERO_HASH } from '../sha1'
import { serializeWimXml } from '../xml/wim-info'
import type { XmlElement } from '../xml/xml-dom'
import { writePlainBlobs, writeSolidBlob, type BlobSource, type WrittenBlob } from './blob-writer'
import { OutputFile } from './output-file'
import { copyStored } from './transfer'

export interface WriterSettings {
  compression: Compression
  chunkSize: number
  /** Store file data in solid resources (ESD style) with chunks of this size. */
  solidChunkSize: number | null
  /** LZMS solid data is LZMS; everything else (metadata) uses `compression`. */
  solidCompression: Exclude<Compression, 'none'>
  pool: WorkerPool
  signal: AbortSignal
  onBytes: (bytes: number) => void
}

/**
 * The settings every operation writes with: file data solid (LZMS, ESD style) or chunked in
 * the file's own compression, progress counted in the job's bytes.
 */
export function writerSettings(
  format: { compression: Compression; chunkSize: number; solid: boolean },
  pool: WorkerPool,
  progress: { signal: AbortSignal; advance(bytes: number): void },
): WriterSettings {
  return {
    compression: format.compression,
    chunkSize: format.chunkSize,
    solidChunkSize: format.solid ? SOLID_CHUNK_SIZE : null,
    solidCompression: 'lzms',
    pool,
    signal: progress.signal,
    onBytes: (n) => progress.advance(n),
  }
}

/** A blob the new file's table lists: where it is, and its hash. */
export interface StoredBlob {
  hash: string
  size: number
  /** For a plain resource, its header; for a blob in a solid resource, its place in it. */
  location: { kind: 'plain'; header: ResourceHeader } | { kind: 'solid'; resource: ResourceHeader; offset: number }
}

export interface CommitOptions {
  /**
   * Every image in order. The trees of new or changed images add their references; a
   * metadata resource is absent from the parts of a split set other than the first.
   */
  images: Array<{ metadata?: StoredBlob; tree?: WimImageTree }>
  /** Reference counts carried over from an existing blob table (images not passed as trees). */
  baseRefs?: Map<string, number>
  /** The <WIM> element with one <IMAGE> per image, INDEX 1..n. */
  xml: XmlElement
  bootIndex: number
  integrity: boolean
  guid?: Uint8Array
  partNumber?: number
  totalParts?: number
  /** Blobs this file holds; default: every blob the images reference. */
  blobs?: Map<string, StoredBlob>
  /** Extra header flags kept from a source (e.g. RP_FIX). */
  extraFlags?: number
}

/**
 * Writes a WIM: blobs, metadata, then blob table, XML, optional integrity table and the
 * header last. A new file is written under a temporary name in the same folder and renamed
 * over the target only when complete; adding to an existing WIM writes after its current
 * end and touches the header last, and a failure truncates the file back to what it was.
 */
export class WimWriter {
  readonly stored = new Map<string, StoredBlob>()

  private constructor(
    private readonly out: OutputFile,
    private readonly settings: WriterSettings,
    private readonly finalPath: string,
    private readonly mode: { kind: 'new' } | { kind: 'append'; originalSize: number },
  ) {}

  static async create(path: string, settings: WriterSettings): Promise<WimWriter> {
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`)
    const out = await OutputFile.create(temp)
    await out.write(new Uint8Array(WIM_HEADER_SIZE))
    return new WimWriter(out, settings, path, { kind: 'new' })
  }

  /** Adds to an existing WIM; `known` lists the blobs it already holds (reused, not stored again). */
  static async append(path: string, originalSize: number, settings: WriterSettings, known: Iterable<StoredBlob>): Promise<WimWriter> {
    const out = await OutputFile.openAt(path, originalSize)
    const writer = new WimWriter(out, settings, path, { kind: 'append', originalSize })
    for (const blob of known) writer.stored.set(blob.hash, blob)
    return writer
  }

  get position(): number {
    return this.out.position
  }

  /**
   * Stores new blobs (skipping hashes already stored is the caller's job: it knows them
   * first); `compression: 'none'` stores them uncompressed whatever the WIM's compression.
   */
  async writeBlobs(sources: BlobSource[], options: { solid: boolean; compression?: 'none' }): Promise<StoredBlob[]> {
    const { pool, signal, onBytes } = this.settings
    if (sources.length === 0) return []
    let stored: StoredBlob[]
    if (options.solid && this.settings.solidChunkSize) {
      const solid = await writeSolidBlob(this.out, sources, { pool, signal, onBytes, compression: this.settings.solidCompression, chunkSize: this.settings.solidChunkSize })
      stored = solid.blobs.map((b) => ({ hash: b.hash, size: b.size, location: { kind: 'solid', resource: solid.header, offset: b.offset } }))
    } else {
      const compression = options.compression ?? this.settings.compression
      const written = await writePlainBlobs(this.out, sources, { pool, signal, onBytes, compression, chunkSize: this.settings.chunkSize })
      stored = written.map((w: WrittenBlob) => ({ hash: w.hash, size: w.size, location: { kind: 'plain', header: w.header } }))
    }
    for (const blob of stored) if (!this.stored.has(blob.hash)) this.stored.set(blob.hash, blob)
    return stored
  }

  /**
   * Copies a plain resource of another WIM as it is stored (no recompression) and records it;
   * `metadata` marks it as an image's metadata resource.
   */
  async copyStored(blob: { hash: string; size: number }, reader: RandomAccessReader, header: ResourceHeader, options: { metadata?: boolean } = {}): Promise<StoredBlob> {
    const offset = await copyStored(this.out, reader, header.offset, header.sizeInWim, this.settings.signal, options.metadata ? () => undefined : this.settings.onBytes)
    const flags = options.metadata ? header.flags | ResourceFlag.METADATA : header.flags
    const stored: StoredBlob = { hash: blob.hash, size: blob.size, location: { kind: 'plain', header: { ...header, offset, flags } } }
    if (!options.metadata) this.stored.set(blob.hash, stored)
    return stored
  }

  /** Copies a whole solid resource as it is stored, recording the blobs it holds. */
  async copyStoredSolid(reader: RandomAccessReader, resource: SolidResource, members: Array<{ hash: string; size: number; offset: number }>): Promise<void> {
    const offset = await copyStored(this.out, reader, resource.offset, resource.sizeInWim, this.settings.signal, this.settings.onBytes)
    const header: ResourceHeader = { offset, sizeInWim: resource.sizeInWim, uncompressedSize: resource.uncompressedSize, flags: ResourceFlag.SOLID }
    for (const m of members) this.stored.set(m.hash, { hash: m.hash, size: m.size, location: { kind: 'solid', resource: header, offset: m.offset } })
  }

  /** Stores an image's metadata resource (never solid: Microsoft's tools require that). */
  async writeMetadata(tree: WimImageTree): Promise<StoredBlob> {
    const bytes = serializeMetadata(tree)
    const [written] = await writePlainBlobs(this.out, [{ size: bytes.length, name: 'image metadata', read: async function* () { yield bytes } }], {
      ...this.settings,
      onBytes: () => undefined,
    })
    return { hash: written!.hash, size: written!.size, location: { kind: 'plain', header: { ...written!.header, flags: written!.header.flags | ResourceFlag.METADATA } } }
  }

  async commit(options: CommitOptions): Promise<void> {
    this.settings.signal.throwIfAborted()
    const refs = new Map(options.baseRefs ?? [])
    for (const { tree } of options.images) if (tree) countReferences(tree, refs)
    const blobs = options.blobs ?? this.stored
    const records: BlobTableRecord[] = options.images.flatMap(({ metadata }) =>
      metadata ? [{ header: (metadata.location as { header: ResourceHeader }).header, part: options.partNumber ?? 1, refCount: 1, hash: fromHex(metadata.hash) }] : [],
    )
    // A blob nothing refers to any more (a deleted image's) is left out of the table.
    records.push(...blobRecords([...blobs.values()].filter((b) => (refs.get(b.hash) ?? 0) > 0), refs, options.partNumber ?? 1))

    const solidUsed = records.some((r) => r.header.flags & ResourceFlag.SOLID) || this.settings.compression === 'lzms'
    const tableBytes = serializeBlobTable(records)
    const blobTable: ResourceHeader = { offset: this.out.position, sizeInWim: tableBytes.length, uncompressedSize: tableBytes.length, flags: ResourceFlag.METADATA }
    await this.out.write(tableBytes)
    const xmlOffset = this.out.position
    const xmlBytes = serializeWimXml(options.xml, xmlOffset)
    const xml: ResourceHeader = { offset: xmlOffset, sizeInWim: xmlBytes.length, uncompressedSize: xmlBytes.length, flags: ResourceFlag.METADATA }
    await this.out.write(xmlBytes)

    const header: WimHeader = {
      version: solidUsed ? WIM_VERSION_SOLID : WIM_VERSION_DEFAULT,
      flags: compressionFlags(this.settings.compression) | (options.extraFlags ?? 0) | ((options.totalParts ?? 1) > 1 ? HeaderFlag.SPANNED : 0),
      chunkSize: this.settings.chunkSize,
      compression: this.settings.compression,
      guid: options.guid ?? randomBytes(16),
      partNumber: options.partNumber ?? 1,
      totalParts: options.totalParts ?? 1,
      imageCount: options.images.length,
      blobTable,
      xml,
      bootMetadata: bootMetadata(options),
      bootIndex: options.bootIndex,
      integrity: EMPTY_RESOURCE,
    }
    if (options.integrity) {
      await this.out.flush()
      const { start, end } = integrityRange(header)
      const reader = await FileReader.open(this.out.path)
      try {
        const hashes = await hashIntegrityChunks(reader, start, end, INTEGRITY_CHUNK_SIZE)
        const table = serializeIntegrityTable({ chunkSize: INTEGRITY_CHUNK_SIZE, hashes })
        header.integrity = { offset: this.out.position, sizeInWim: table.length, uncompressedSize: table.length, flags: 0 }
        await this.out.write(table)
      } finally {
        await reader.close()
      }
    }
    // Everything the header points to is on disk before the header changes.
    await this.out.sync()
    await this.out.patch(serializeHeader(header), 0)
    await this.out.sync()
    await this.out.close()
    if (this.mode.kind === 'new') await rename(this.out.path, this.finalPath)
  }

  /** Leaves no trace: a new file is deleted; an existing one is cut back to its old size. */
  async abort(): Promise<void> {
    if (this.mode.kind === 'new') {
      await this.out.close().catch(() => undefined)
      await rm(this.out.path, { force: true })
    } else {
      await this.out.truncate(this.mode.originalSize).catch(() => undefined)
      await this.out.close().catch(() => undefined)
    }
  }
}

function bootMetadata(options: CommitOptions): ResourceHeader {
  const metadata = options.bootIndex ? options.images[options.bootIndex - 1]?.metadata : undefined
  return metadata ? (metadata.location as { header: ResourceHeader }).header : EMPTY_RESOURCE
}

/** How many names refer to each blob (a hard link counts once per name), over a tree. */
export function countReferences(tree: WimImageTree, refs: Map<string, number>): void {
  const stack = [tree.root]
  while (stack.length > 0) {
    const dentry = stack.pop()!
    for (const stream of dentry.inode.streams) if (stream.hash) refs.set(stream.hash, (refs.get(stream.hash) ?? 0) + 1)
    if (dentry.children) stack.push(...dentry.children)
  }
}

/**
 * Table entries for blobs: plain ones as they are; solid ones grouped per resource, each
 * group led by the resource's own entry, with blob offsets counted across the run of
 * resources as if they were one (what WIMGAPI expects).
 */
function blobRecords(blobs: StoredBlob[], refs: Map<string, number>, part: number): BlobTableRecord[] {
  const records: BlobTableRecord[] = []
  const plain = blobs.filter((b) => b.location.kind === 'plain').sort((a, b) => offsetOf(a) - offsetOf(b))
  for (const blob of plain) {
    records.push({ header: (blob.location as { header: ResourceHeader }).header, part, refCount: refs.get(blob.hash) ?? 1, hash: fromHex(blob.hash) })
  }
  const byResource = new Map<number, { resource: ResourceHeader; blobs: StoredBlob[] }>()
  for (const blob of blobs) {
    if (blob.location.kind !== 'solid') continue
    const key = blob.location.resource.offset
    const group = byResource.get(key) ?? { resource: blob.location.resource, blobs: [] }
    group.blobs.push(blob)
    byResource.set(key, group)
  }
  let logical = 0
  for (const { resource, blobs: members } of [...byResource.values()].sort((a, b) => a.resource.offset - b.resource.offset)) {
    records.push({ header: { ...resource, uncompressedSize: SOLID_RESOURCE_MAGIC, flags: ResourceFlag.SOLID }, part, refCount: 1, hash: ZERO_HASH })
    for (const blob of members.sort((a, b) => offsetOf(a) - offsetOf(b))) {
      const offset = (blob.location as { offset: number }).offset
      records.push({
        header: { offset: logical + offset, sizeInWim: blob.size, uncompressedSize: 0, flags: ResourceFlag.SOLID },
        part,
        refCount: refs.get(blob.hash) ?? 1,
        hash: fromHex(blob.hash),
      })
    }
    logical += resource.uncompressedSize
  }
  return records
}

function offsetOf(blob: StoredBlob): number {
  return blob.location.kind === 'plain' ? blob.location.header.offset : blob.location.offset
}
