import { readAhead } from '../../io/read-ahead'
import { createHash } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import type { WorkerPool } from '../../jobs/worker-pool'
import { serializeSolidHeader } from '../blob-table'
import { chunkEntrySize } from '../chunk-layout'
import { ResourceFlag, SOLID_HEADER_SIZE, type Compression } from '../constants'
import type { ResourceHeader } from '../resource-header'
import { CompressionPipeline } from './compression-pipeline'
import type { OutputFile } from './output-file'

/** Data to store as a blob: from a file, another WIM, or memory. */
export interface BlobSource {
  size: number
  /** For messages: a path or a description. */
  name: string
  /** The data in pieces; a piece may be overwritten once the next is asked for, so it is used (or copied) at once. */
  read(): AsyncIterable<Uint8Array>
  /** Whether it may be read while earlier sources still are (it shares nothing with them, as a file). */
  independent?: boolean
}

export interface WrittenBlob {
  /** SHA-1 of what was actually read and stored. */
  hash: string
  size: number
  header: ResourceHeader
}

export interface BlobWriteOptions {
  pool: WorkerPool
  compression: Compression
  chunkSize: number
  signal: AbortSignal
  /** Uncompressed bytes stored so far (for progress). */
  onBytes: (bytes: number) => void
}

/** A blob up to this size is kept in memory until it is known whether it shrank. */
const SMALL_BLOB_BYTES = 8 * 1024 * 1024


/** Sources whose first piece is being read while an earlier one is consumed. */
const READ_AHEAD = 8

/**
 * Reads every source once, in order, hashing it, and hands each piece on; the piece that
 * completes a source comes with that source's SHA-1, so the hash is known before its last
 * chunk is written. A source that grows or shrinks while read is an error, not a wrong image.
 */
async function readSources(sources: BlobSource[], signal: AbortSignal, onPiece: (index: number, piece: Uint8Array, hash: string | null) => Promise<void>): Promise<void> {
  let i = 0
  const streams = sources.map((s) => ({ open: () => s.read(), independent: s.independent === true }))
  for await (const pieces of readAhead(streams, READ_AHEAD)) {
    const source = sources[i]!
    const hash = createHash('sha1')
    let read = 0
    for await (const piece of pieces) {
      signal.throwIfAborted()
      if (piece.length === 0) continue
      read += piece.length
      if (read > source.size) throw new AppError('IO', `${source.name} grew while it was being read`, { path: source.name })
      hash.update(piece)
      await onPiece(i, piece, read === source.size ? hash.digest('hex') : null)
    }
    if (read !== source.size) {
      throw new AppError('IO', `${source.name} changed size while it was being read (${read} of ${source.size} bytes)`, { path: source.name })
    }
    i++
  }
}

/** The chunk table of a plain resource: the offset of each chunk but the first, after the table. */
export function chunkTable(sizes: number[], uncompressedSize: number): Uint8Array {
  const entry = chunkEntrySize(uncompressedSize, false)
  const table = new Uint8Array(Math.max(0, sizes.length - 1) * entry)
  const view = new DataView(table.buffer)
  let offset = 0
  for (let i = 0; i < sizes.length - 1; i++) {
    offset += sizes[i]!
    if (entry === 4) view.setUint32(i * 4, offset, true)
    else view.setBigUint64(i * 8, BigInt(offset), true)
  }
  return table
}

/**
 * Stores blobs as plain resources, one after another at the end of `out`, in the order
 * given: each resource is a chunk table (reserved, filled in afterwards) and its chunks,
 * compressed in the worker pool. A small blob that does not shrink is stored uncompressed,
 * as wimlib does; a large one keeps its raw chunks (valid, only its table larger).
 */
export async function writePlainBlobs(out: OutputFile, sources: BlobSource[], options: BlobWriteOptions): Promise<WrittenBlob[]> {
  const written: WrittenBlob[] = new Array(sources.length)
  const hashes: string[] = new Array(sources.length)

  if (options.compression === 'none') {
    const starts: number[] = []
    await readSources(sources, options.signal, async (i, piece, hash) => {
      starts[i] ??= out.position
      await out.write(piece)
      options.onBytes(piece.length)
      const size = sources[i]!.size
      if (hash) written[i] = { hash, size, header: { offset: starts[i]!, sizeInWim: size, uncompressedSize: size, flags: 0 } }
    })
    return written
  }

  let current: { blob: number; start: number; tableSize: number; sizes: number[]; held: { stored: Uint8Array[]; original: Uint8Array[] } | null } | null = null
  const pipeline = new CompressionPipeline<number>(options.pool, options.compression, options.chunkSize, options.signal, async (stored, original, blob, last) => {
    const size = sources[blob]!.size
    if (!current) {
      const tableSize = (Math.ceil(size / options.chunkSize) - 1) * chunkEntrySize(size, false)
      current = { blob, start: out.position, tableSize, sizes: [], held: size <= SMALL_BLOB_BYTES ? { stored: [], original: [] } : null }
      if (!current.held) await out.write(new Uint8Array(tableSize))
    }
    const a = current
    a.sizes.push(stored.length)
    if (a.held) {
      a.held.stored.push(stored)
      a.held.original.push(original)
    } else {
      await out.write(stored)
    }
    options.onBytes(original.length)
    if (!last) return
    current = null
    const storedTotal = a.sizes.reduce((n, s) => n + s, 0)
    if (a.held && a.tableSize + storedTotal >= size) {
      for (const part of a.held.original) await out.write(part)
      written[blob] = { hash: hashes[blob]!, size, header: { offset: a.start, sizeInWim: size, uncompressedSize: size, flags: 0 } }
      return
    }
    if (a.held) {
      await out.write(chunkTable(a.sizes, size))
      for (const part of a.held.stored) await out.write(part)
    } else {
      await out.patch(chunkTable(a.sizes, size), a.start)
    }
    written[blob] = { hash: hashes[blob]!, size, header: { offset: a.start, sizeInWim: a.tableSize + storedTotal, uncompressedSize: size, flags: ResourceFlag.COMPRESSED } }
  })

  await readSources(sources, options.signal, async (i, piece, hash) => {
    if (hash) hashes[i] = hash
    await pipeline.append(piece, i, hash !== null)
  })
  await pipeline.finish()
  return written
}

export interface SolidResourceWritten {
  header: ResourceHeader
  blobs: Array<{ hash: string; size: number; offset: number }>
}

/**
 * Stores blobs together as one solid resource (what ESD files are made of): a 16-byte
 * header, one compressed size per chunk, then chunks cut from all blobs end to end.
 */
export async function writeSolidBlob(out: OutputFile, sources: BlobSource[], options: BlobWriteOptions & { compression: Exclude<Compression, 'none'> }): Promise<SolidResourceWritten> {
  const total = sources.reduce((n, s) => n + s.size, 0)
  const start = out.position
  const count = Math.ceil(total / options.chunkSize)
  await out.write(serializeSolidHeader({ uncompressedSize: total, chunkSize: options.chunkSize, compression: options.compression }))
  await out.write(new Uint8Array(count * 4))
  const sizes: number[] = []
  const pipeline = new CompressionPipeline<null>(options.pool, options.compression, options.chunkSize, options.signal, async (stored, original) => {
    sizes.push(stored.length)
    await out.write(stored)
    options.onBytes(original.length)
  })
  const blobs: SolidResourceWritten['blobs'] = []
  let offset = 0
  let read = 0
  await readSources(sources, options.signal, async (i, piece, hash) => {
    read += piece.length
    await pipeline.append(piece, null, read === total)
    if (hash) {
      blobs.push({ hash, size: sources[i]!.size, offset })
      offset += sources[i]!.size
    }
  })
  await pipeline.finish()
  const table = new Uint8Array(count * 4)
  const view = new DataView(table.buffer)
  sizes.forEach((s, i) => view.setUint32(i * 4, s, true))
  await out.patch(table, start + SOLID_HEADER_SIZE)
  const sizeInWim = out.position - start
  return { header: { offset: start, sizeInWim, uncompressedSize: total, flags: ResourceFlag.SOLID | ResourceFlag.COMPRESSED }, blobs }
}
