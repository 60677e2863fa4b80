import { concatBytes } from '../../io/bytes'
import type { WorkerPool } from '../../jobs/worker-pool'
import type { Compression } from '../constants'
import type { CompressResult } from './compress-task'

/** Chunks are sent to the pool in batches of about this many bytes (a big chunk goes alone). */
const BATCH_BYTES = 1024 * 1024

interface Batch<M> {
  data: Uint8Array
  lengths: number[]
  meta: M[]
  result: Promise<CompressResult>
}

export type ChunkSink<M> = (stored: Uint8Array, original: Uint8Array, meta: M) => Promise<void>


/**
 * Compresses chunks in the worker pool, a few batches ahead of the caller, and hands each
 * chunk back in the order it was added: stored bytes (compressed, or the original when it
 * did not shrink), the original bytes, and what the caller attached to it.
 */
export class CompressionPipeline<M> {
  private readonly queue: Batch<M>[] = []
  private parts: Uint8Array[] = []
  private lengths: number[] = []
  private meta: M[] = []
  private bytes = 0

  constructor(
    private readonly pool: WorkerPool,
    private readonly compression: Exclude<Compression, 'none'>,
    private readonly chunkSize: number,
    private readonly signal: AbortSignal,
    private readonly sink: ChunkSink<M>,
  ) {}

  async add(chunk: Uint8Array, meta: M): Promise<void> {
    this.parts.push(chunk)
    this.lengths.push(chunk.length)
    this.meta.push(meta)
    this.bytes += chunk.length
    if (this.bytes >= BATCH_BYTES) this.submit()
    while (this.queue.length > this.pool.size * 2) await this.consume()
  }

  async finish(): Promise<void> {
    this.submit()
    while (this.queue.length > 0) await this.consume()
  }

  private submit(): void {
    if (this.lengths.length === 0) return
    const data = concatBytes(this.parts, this.bytes)
    // Copied to the worker, not transferred: callers may need the originals back.
    const result = this.pool.run('wim.compress', { compression: this.compression, chunkSize: this.chunkSize, data, lengths: this.lengths }, { signal: this.signal })
    result.catch(() => undefined)
    this.queue.push({ data, lengths: this.lengths, meta: this.meta, result })
    this.parts = []
    this.lengths = []
    this.meta = []
    this.bytes = 0
  }

  private async consume(): Promise<void> {
    const batch = this.queue.shift()!
    const result = await batch.result
    let storedAt = 0
    let originalAt = 0
    for (let i = 0; i < batch.lengths.length; i++) {
      const stored = result.data.subarray(storedAt, storedAt + result.sizes[i]!)
      const original = batch.data.subarray(originalAt, originalAt + batch.lengths[i]!)
      storedAt += result.sizes[i]!
      originalAt += batch.lengths[i]!
      await this.sink(stored, original, batch.meta[i]!)
    }
  }
}

/**
 * Cuts a stream of pieces into chunks of `chunkSize` (the last may be shorter): the chunker
 * the plain and solid writers share. `total` is how many bytes are expected in all.
 */
export class Chunker {
  private chunk: Uint8Array
  private filled = 0
  private seen = 0

  constructor(
    private readonly chunkSize: number,
    private readonly total: number,
  ) {
    this.chunk = new Uint8Array(Math.min(chunkSize, total))
  }

  get bytesSeen(): number {
    return this.seen
  }

  /** Feeds a piece; returns the chunks it completed. */
  push(piece: Uint8Array): Uint8Array[] {
    const done: Uint8Array[] = []
    let at = 0
    while (at < piece.length) {
      const take = Math.min(this.chunk.length - this.filled, piece.length - at)
      if (take === 0) throw new RangeError('more bytes than announced')
      this.chunk.set(piece.subarray(at, at + take), this.filled)
      this.filled += take
      at += take
      this.seen += take
      if (this.filled === this.chunk.length) {
        done.push(this.chunk)
        this.chunk = new Uint8Array(Math.min(this.chunkSize, this.total - this.seen))
        this.filled = 0
      }
    }
    return done
  }
}
