/**
 * The part of an apply that runs in pool workers: read a run of compressed data from the
 * WIM, decompress it chunk by chunk, write it to the target files, check every blob's SHA-1
 * and set the files' times. Synchronous I/O: a worker thread has nothing else to do while
 * it waits, and it avoids a promise per chunk.
 */
import { createHash, type Hash } from 'node:crypto'
import { closeSync, futimesSync, openSync, readSync, writeSync } from 'node:fs'
import { AppError } from '../../../shared/errors'
import { chunkCount, plainChunkTableSize, plainLayoutFromTable, type ChunkLayout } from '../chunk-layout'
import type { Compression } from '../constants'
import { corrupt } from '../format-error'
import type { ResourceHeader } from '../resource-header'
import { decodeChunk, decodeChunkBytes } from '../resource-reader'

export interface TargetFile {
  path: string
  /** Seconds since the epoch (fractional), or null to leave the file's times alone. */
  atime: number | null
  mtime: number | null
}

/** A blob that is a whole resource of its own. */
export interface PlainBlobItem {
  kind: 'plain'
  hash: string
  header: ResourceHeader
  targets: TargetFile[]
}

/** Part of a solid resource: a run of its chunks and the pieces of blobs they hold. */
export interface SolidRangeItem {
  kind: 'solid'
  compression: Compression
  chunkSize: number
  uncompressedSize: number
  dataStart: number
  firstChunk: number
  /** Chunk offsets relative to dataStart for chunks firstChunk .. firstChunk + n (n + 1 values). */
  offsets: Float64Array
  pieces: SolidPiece[]
}

export interface SolidPiece {
  hash: string
  /** Where the blob starts in the solid resource's uncompressed stream, and its size. */
  start: number
  size: number
  /** The whole blob lies in this range: written from scratch and its hash checked here. */
  whole: boolean
  targets: TargetFile[]
}

export interface ExtractTask {
  /** The WIM file (or split part) the data is read from. */
  file: string
  compression: Compression
  chunkSize: number
  /** For plain items: the byte range of the file holding all of them, read at once. */
  region: { offset: number; length: number } | null
  items: Array<PlainBlobItem | SolidRangeItem>
  /** Verify mode: record blobs that fail (bad data, bad SHA-1) and carry on, instead of stopping. */
  collectFailures?: boolean
}

/** Bytes read per call when a blob is too large to read whole. */
const STREAM_READ_BYTES = 8 * 1024 * 1024

/**
 * The worker's one input buffer, reused by every task: a fresh multi-megabyte buffer per
 * read is freed only when the collector gets round to it, and with two workers that held
 * over 100 MiB of dead buffers at once.
 */
let inputBuffer = new Uint8Array(0)

function input(length: number): Uint8Array {
  if (inputBuffer.length < length) inputBuffer = new Uint8Array(Math.max(length, STREAM_READ_BYTES))
  return inputBuffer.subarray(0, length)
}

/** Decoded chunks are gathered up to this much per write: one system call per 32 KiB chunk cost more than decoding. */
const WRITE_BYTES = 1024 * 1024
const staging = new Uint8Array(WRITE_BYTES)

/** Writes a file's chunks, which arrive in order, in few large writes to every target. */
function sequentialWriter(fds: number[]): { write(chunk: Uint8Array): void; end(): void } {
  let filled = 0
  let position = 0
  const flush = (data: Uint8Array): void => {
    for (const fd of fds) writeAll(fd, data, position)
    position += data.length
  }
  const end = (): void => {
    if (filled > 0) flush(staging.subarray(0, filled))
    filled = 0
  }
  return {
    write(chunk) {
      if (filled + chunk.length > WRITE_BYTES) end()
      if (chunk.length > WRITE_BYTES) return flush(chunk)
      staging.set(chunk, filled)
      filled += chunk.length
    },
    end,
  }
}

function readAt(fd: number, file: string, buffer: Uint8Array, position: number): void {
  let done = 0
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done)
    if (n === 0) throw corrupt(file, 'resource', position + done, 'the file ends inside a resource')
    done += n
  }
}

function writeAll(fd: number, data: Uint8Array, position: number): void {
  let done = 0
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done)
}

function openTargets(targets: TargetFile[], fresh: boolean): number[] {
  return targets.map((t) => {
    try {
      return openSync(t.path, fresh ? 'w' : 'r+')
    } catch (error) {
      throw new AppError('IO', `Cannot write ${t.path}: ${(error as Error).message}`, { path: t.path })
    }
  })
}

function closeTargets(fds: number[], targets: TargetFile[], setTimes: boolean): void {
  fds.forEach((fd, i) => {
    const t = targets[i]!
    if (setTimes && t.atime !== null && t.mtime !== null) futimesSync(fd, t.atime, t.mtime)
    closeSync(fd)
  })
}

/** A blob that did not check out, when the task collects problems instead of stopping. */
export interface Failure {
  blob: string
  problem: string
}

function checkHash(hash: Hash, expected: string, file: string, targets: TargetFile[], failures: Failure[] | null): void {
  const actual = hash.digest('hex')
  if (actual !== expected && failures) {
    failures.push({ blob: expected, problem: `its data has SHA-1 ${actual}` })
    return
  }
  if (actual !== expected) {
    throw new AppError('CORRUPT', `${file}: data of ${targets[0]?.path ?? 'a file'} fails its SHA-1 check (blob ${expected}, got ${actual})`, {
      file,
      blob: expected,
      path: targets[0]?.path,
    })
  }
}

/** Streams a blob's chunks from `source` (either the pre-read region or the file). */
function extractPlain(item: PlainBlobItem, task: ExtractTask, fd: number, region: Uint8Array | null, failures: Failure[] | null): void {
  const header = item.header
  const tableSize = plainChunkTableSize(header, task.compression, task.chunkSize)
  const read = (position: number, length: number): Uint8Array => {
    if (region && task.region) return region.subarray(position - task.region.offset, position - task.region.offset + length)
    const buffer = input(length)
    readAt(fd, task.file, buffer, position)
    return buffer
  }
  if (tableSize > header.sizeInWim) throw corrupt(task.file, 'chunk table', header.offset, 'does not fit its resource')
  // The table is parsed into offsets before the input buffer is read into again.
  const layout: ChunkLayout = plainLayoutFromTable(header, task.compression, task.chunkSize, read(header.offset, tableSize), task.file)
  const fds = openTargets(item.targets, true)
  try {
    const hash = createHash('sha1')
    const out = sequentialWriter(fds)
    const count = chunkCount(layout)
    let index = 0
    while (index < count) {
      let end = index + 1
      while (end < count && layout.offsets[end + 1]! - layout.offsets[index]! <= STREAM_READ_BYTES) end++
      const base = layout.offsets[index]!
      const batch = read(layout.dataStart + base, layout.offsets[end]! - base)
      for (let i = index; i < end; i++) {
        const chunk = decodeChunk(layout, i, batch.subarray(layout.offsets[i]! - base, layout.offsets[i + 1]! - base), task.file)
        hash.update(chunk)
        out.write(chunk)
      }
      index = end
    }
    out.end()
    checkHash(hash, item.hash, task.file, item.targets, failures)
  } finally {
    closeTargets(fds, item.targets, true)
  }
}

/** Returns the bytes of the range that belong to blobs. */
function extractSolidRange(item: SolidRangeItem, task: ExtractTask, fd: number, failures: Failure[] | null): number {
  const chunks = item.offsets.length - 1
  const open = item.pieces.map((p) => ({ piece: p, fds: openTargets(p.targets, p.whole), hash: p.whole ? createHash('sha1') : null }))
  let bytes = 0
  try {
    let c = 0
    while (c < chunks) {
      // Read as many chunks as fit a batch (at least one), then decode them in order.
      let end = c + 1
      while (end < chunks && item.offsets[end + 1]! - item.offsets[c]! <= STREAM_READ_BYTES) end++
      const base = item.offsets[c]!
      const compressed = input(item.offsets[end]! - base)
      readAt(fd, task.file, compressed, item.dataStart + base)
      for (; c < end; c++) {
        const index = item.firstChunk + c
        const size = Math.min(item.chunkSize, item.uncompressedSize - index * item.chunkSize)
        const stored = compressed.subarray(item.offsets[c]! - base, item.offsets[c + 1]! - base)
        const chunk = decodeChunkBytes(item.compression, item.chunkSize, size, stored, task.file, item.dataStart + item.offsets[c]!, index)
        const chunkStart = index * item.chunkSize
        for (const entry of open) {
          const from = Math.max(entry.piece.start, chunkStart)
          const to = Math.min(entry.piece.start + entry.piece.size, chunkStart + size)
          if (from >= to) continue
          const part = chunk.subarray(from - chunkStart, to - chunkStart)
          entry.hash?.update(part)
          for (const target of entry.fds) writeAll(target, part, from - entry.piece.start)
          bytes += part.length
        }
      }
    }
    for (const entry of open) if (entry.hash) checkHash(entry.hash, entry.piece.hash, task.file, entry.piece.targets, failures)
  } finally {
    // A piece written only in part gets its times once all its parts are in (by the caller).
    for (const entry of open) closeTargets(entry.fds, entry.piece.targets, entry.piece.whole)
  }
  return bytes
}

/** Runs one extraction task; returns the uncompressed bytes handled and, in verify mode, the failures. */
export function runExtractTask(task: ExtractTask): { bytes: number; failures: Failure[] } {
  let fd: number
  try {
    fd = openSync(task.file, 'r')
  } catch (error) {
    throw new AppError('IO', `Cannot read ${task.file}: ${(error as Error).message}`, { file: task.file })
  }
  const failures: Failure[] = []
  const collect = task.collectFailures ? failures : null
  let bytes = 0
  try {
    let region: Uint8Array | null = null
    if (task.region) {
      region = input(task.region.length)
      readAt(fd, task.file, region, task.region.offset)
    }
    for (const item of task.items) {
      try {
        if (item.kind === 'plain') {
          extractPlain(item, task, fd, region, collect)
          bytes += item.header.uncompressedSize
        } else {
          bytes += extractSolidRange(item, task, fd, collect)
        }
      } catch (error) {
        if (!collect || !(error instanceof AppError) || error.code !== 'CORRUPT') throw error
        const blobs = item.kind === 'plain' ? [item.hash] : item.pieces.map((p) => p.hash)
        for (const blob of blobs) collect.push({ blob, problem: error.message })
      }
    }
  } finally {
    closeSync(fd)
  }
  return { bytes, failures }
}
