import type { WorkerPool } from '../../jobs/worker-pool'
import type { Compression } from '../constants'
import type { CompressResult } from './compress-task'

/** Chunks go to the pool in batches of about this many bytes (at least one chunk). */
const BATCH_BYTES = 1024 * 1024

interface Batch<M> {
  lengths: number[]
  meta: M[]
  last: boolean[]
  bytes: number
  result: Promise<CompressResult>
}

/** Receives each chunk in order: stored bytes (compressed, or the original when that did not shrink), the original, its unit and whether it ends the unit. */
export type ChunkSink<M> = (stored: Uint8Array, original: Uint8Array, meta: M, last: boolean) => Promise<void>

/**
 * Cuts units of data (a blob, or a whole solid resource) into chunks and compresses them in
 * the worker pool, a few batches ahead of the caller, handing each chunk back in order.
 *
 * Bytes are copied once, into a batch buffer that is then given to a worker and given back
 * with the result (transferred, not copied): on the main thread, which also reads and hashes
 * every file, copies and garbage are what starve the workers.
 */
export class CompressionPipeline<M> {
  private readonly capacity: number
  private readonly queue: Batch<M>[] = []
  private batch: Uint8Array
  private filled = 0
  /** Where the chunk being filled starts in the batch. */
  private chunkStart = 0
  private lengths: number[] = []
  private meta: M[] = []
  private last: boolean[] = []
  private inFlight = 0

  constructor(
    private readonly pool: WorkerPool,
    private readonly compression: Exclude<Compression, 'none'>,
    private readonly chunkSize: number,
    private readonly signal: AbortSignal,
    private readonly sink: ChunkSink<M>,
  ) {
    this.capacity = Math.max(1, Math.floor(BATCH_BYTES / chunkSize)) * chunkSize
    this.batch = new Uint8Array(this.capacity)
  }

  /**
   * Adds bytes to the current unit; `end` says they are its last, which closes its last
   * (possibly short) chunk. A unit's chunks never mix with the next unit's.
   */
  async append(piece: Uint8Array, meta: M, end: boolean): Promise<void> {
    for (let at = 0; at < piece.length; ) {
      // A full chunk is closed only once more bytes come, so the one that ends a unit is known to be its last.
      if (this.filled - this.chunkStart === this.chunkSize) await this.closeChunk(meta, false)
      const take = Math.min(this.chunkSize - (this.filled - this.chunkStart), piece.length - at)
      this.batch.set(piece.subarray(at, at + take), this.filled)
      this.filled += take
      at += take
    }
    if (end && this.filled > this.chunkStart) await this.closeChunk(meta, true)
  }

  async finish(): Promise<void> {
    this.submit()
    while (this.queue.length > 0) await this.consume()
  }

  private async closeChunk(meta: M, last: boolean): Promise<void> {
    this.lengths.push(this.filled - this.chunkStart)
    this.meta.push(meta)
    this.last.push(last)
    this.chunkStart = this.filled
    // The next chunk must fit whole: units end mid-chunk, so batches are not always full.
    if (this.capacity - this.filled < this.chunkSize) {
      this.submit()
      // Enough batches in flight to keep every worker busy, and memory bounded.
      while (this.inFlight > Math.max(this.pool.size * 2 * BATCH_BYTES, (this.pool.size + 1) * this.capacity)) await this.consume()
    }
  }

  private submit(): void {
    if (this.lengths.length === 0) return
    const data = this.batch
    const result = this.pool.run('wim.compress', { compression: this.compression, chunkSize: this.chunkSize, data, lengths: this.lengths }, { signal: this.signal, transfer: [data.buffer as ArrayBuffer] })
    result.catch(() => undefined)
    this.queue.push({ lengths: this.lengths, meta: this.meta, last: this.last, bytes: this.filled, result })
    this.inFlight += this.filled
    this.batch = new Uint8Array(this.capacity)
    this.filled = 0
    this.chunkStart = 0
    this.lengths = []
    this.meta = []
    this.last = []
  }

  private async consume(): Promise<void> {
    const batch = this.queue.shift()!
    const result = await batch.result
    this.inFlight -= batch.bytes
    let storedAt = 0
    let originalAt = 0
    for (let i = 0; i < batch.lengths.length; i++) {
      const stored = result.data.subarray(storedAt, storedAt + result.sizes[i]!)
      const original = result.original.subarray(originalAt, originalAt + batch.lengths[i]!)
      storedAt += result.sizes[i]!
      originalAt += batch.lengths[i]!
      await this.sink(stored, original, batch.meta[i]!, batch.last[i]!)
    }
  }
}
