import { createHash, timingSafeEqual } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { ByteTarget } from './byte-target'

/** What a region must hold after the writes: zeros, a copy of a small write, or the SHA-256 of a large one. */
type Extent =
  | { offset: number; length: number; kind: 'zeros' }
  | { offset: number; length: number; kind: 'bytes'; data: Uint8Array }
  | { offset: number; length: number; kind: 'hash'; sha256: Buffer }

/** Writes up to this size are kept as copies, so a later write over part of them can still be checked. */
const COPY_LIMIT = 256 * 1024
const READ_CHUNK = 4 * 1024 * 1024

export interface VerifyProgress {
  signal?: AbortSignal
  onBytes?: (bytes: number) => void
}

/**
 * A target that remembers what every write put where, so the whole result can be read back
 * and compared afterwards, whatever wrote it (partition tables, FAT32, a raw image). Memory
 * stays small: large writes are kept as checksums (32 bytes per 4 MiB block); only small
 * writes and zero fills, which later writes partly overwrite (a table inside a wiped
 * region, a boot sector written last), are kept in a form that can be split.
 */
export class JournalTarget implements ByteTarget {
  private readonly extents: Extent[] = []
  /** Every byte handed to the target, overwrites counted again. */
  bytesWritten = 0

  /** `record: false` only counts bytes: verification is off, and checksums would cost CPU for nothing. */
  constructor(
    private readonly inner: ByteTarget,
    private readonly options: { record: boolean } = { record: true },
  ) {}

  get name(): string {
    return this.inner.name
  }

  get size(): number {
    return this.inner.size
  }

  get sectorSize(): number | undefined {
    return this.inner.sectorSize
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    await this.inner.write(data, position)
    this.bytesWritten += data.length
    if (this.options.record) this.record(describe(data, position))
  }

  read(buffer: Uint8Array, position: number): Promise<number> {
    return this.inner.read(buffer, position)
  }

  flush(): Promise<void> {
    return this.inner.flush()
  }

  close(): Promise<void> {
    return this.inner.close()
  }

  /** Bytes the verification reads: the extent of everything written, each byte once. */
  get coveredBytes(): number {
    return this.extents.reduce((sum, e) => sum + e.length, 0)
  }

  /** Reads everything back and compares; throws IO naming the first offset that differs. */
  async verify(progress: VerifyProgress = {}): Promise<void> {
    const buffer = new Uint8Array(Math.min(READ_CHUNK, Math.max(...this.extents.map((e) => e.length), 0)))
    for (const extent of this.extents) {
      const hash = extent.kind === 'hash' ? createHash('sha256') : null
      for (let done = 0; done < extent.length; ) {
        if (progress.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled')
        const n = Math.min(buffer.length, extent.length - done)
        const chunk = buffer.subarray(0, n)
        const at = extent.offset + done
        const got = await this.inner.read(chunk, at)
        if (got !== n) throw this.mismatch(at + got, extent, 'the drive returned fewer bytes than were written (is it still there?)')
        if (extent.kind === 'zeros') {
          const bad = chunk.findIndex((b) => b !== 0)
          if (bad >= 0) throw this.mismatch(at + bad, extent, 'zeros were written, other bytes were read back')
        } else if (extent.kind === 'bytes') {
          const expected = extent.data.subarray(done, done + n)
          const bad = chunk.findIndex((b, i) => b !== expected[i])
          if (bad >= 0) throw this.mismatch(at + bad, extent, 'the bytes read back differ from those written')
        } else {
          hash!.update(chunk)
        }
        done += n
        progress.onBytes?.(n)
      }
      if (extent.kind === 'hash' && !timingSafeEqual(hash!.digest(), extent.sha256)) {
        throw this.mismatch(extent.offset, extent, 'the checksum of the bytes read back differs from that of the bytes written')
      }
    }
  }

  private mismatch(offset: number, extent: Extent, what: string): AppError {
    return new AppError(
      'IO',
      `Verification failed on ${this.name} at byte ${offset} (in the ${extent.length} bytes written at ${extent.offset}): ${what}. The drive may be failing or may not hold what it claims: do not use it.`,
      { device: this.name, offset },
    )
  }

  /** Keeps the extents sorted and disjoint: a new write replaces what it covers of older ones. */
  private record(extent: Extent): void {
    if (extent.length === 0) return
    const end = extent.offset + extent.length
    let first = this.extents.length
    while (first > 0 && this.extents[first - 1]!.offset + this.extents[first - 1]!.length > extent.offset) first--
    let last = first
    const replacement: Extent[] = []
    while (last < this.extents.length && this.extents[last]!.offset < end) {
      const old = this.extents[last]!
      const oldEnd = old.offset + old.length
      if (old.offset < extent.offset) replacement.push(slice(old, old.offset, extent.offset))
      if (oldEnd > end) replacement.push(slice(old, end, oldEnd))
      last++
    }
    replacement.push(extent)
    replacement.sort((a, b) => a.offset - b.offset)
    this.extents.splice(first, last - first, ...replacement)
  }
}

function describe(data: Uint8Array, offset: number): Extent {
  if (isZero(data)) return { offset, length: data.length, kind: 'zeros' }
  if (data.length <= COPY_LIMIT) return { offset, length: data.length, kind: 'bytes', data: data.slice() }
  return { offset, length: data.length, kind: 'hash', sha256: createHash('sha256').update(data).digest() }
}

const ZERO_BLOCK = new Uint8Array(64 * 1024)

function isZero(data: Uint8Array): boolean {
  for (let at = 0; at < data.length; at += ZERO_BLOCK.length) {
    const n = Math.min(ZERO_BLOCK.length, data.length - at)
    if (Buffer.compare(data.subarray(at, at + n), ZERO_BLOCK.subarray(0, n)) !== 0) return false
  }
  return true
}

/** The part [from, to) of an extent that a later write left standing. */
function slice(extent: Extent, from: number, to: number): Extent {
  if (extent.kind === 'zeros') return { offset: from, length: to - from, kind: 'zeros' }
  if (extent.kind === 'bytes') return { offset: from, length: to - from, kind: 'bytes', data: extent.data.subarray(from - extent.offset, to - extent.offset) }
  // Only small writes and zero fills are ever partly overwritten by our writers; a large
  // write partly overwritten could no longer be checked against its checksum.
  throw new AppError('INTERNAL', `A write partly overwrote ${extent.length} bytes written at ${extent.offset}; they can no longer be verified`, { offset: extent.offset })
}
