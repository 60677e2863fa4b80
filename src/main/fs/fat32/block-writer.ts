/**
 * Writes a region of a target front to back in large blocks. While one block goes to the
 * target the next is filled, so reading the sources and writing the target overlap, and
 * memory stays at two blocks whatever is written. Blocks end on multiples of the block
 * size in the target (the first one is shorter), so a drive sees aligned writes.
 */
import { AppError } from '../../../shared/errors'
import type { ByteTarget } from '../../disk/byte-target'

export interface SequentialWriterOptions {
  blockSize: number
  /** Bytes written so far, after each block. */
  onProgress?: (done: number) => void
  /** Checked before each block. */
  signal?: AbortSignal
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof AppError ? signal.reason : new AppError('CANCELLED', 'Cancelled')
}

export class SequentialWriter {
  private block: Uint8Array
  private spare: Uint8Array
  private used = 0
  /** Where the block being filled ends. */
  private limit: number
  /** Bytes handed to the target. */
  private sent = 0
  private written = 0
  private pending: Promise<void> = Promise.resolve()
  private failure: { error: unknown } | undefined

  constructor(
    private readonly target: ByteTarget,
    private readonly start: number,
    private readonly options: SequentialWriterOptions,
  ) {
    this.block = new Uint8Array(options.blockSize)
    this.spare = new Uint8Array(options.blockSize)
    this.limit = options.blockSize - (start % options.blockSize)
  }

  /** Append `length` bytes that `produce` writes into the chunks it is given (`at`: offset within the `length`). */
  async fill(length: number, produce: (chunk: Uint8Array, at: number) => void): Promise<void> {
    let done = 0
    while (done < length) {
      const n = Math.min(length - done, this.limit - this.used)
      produce(this.block.subarray(this.used, this.used + n), done)
      this.used += n
      done += n
      if (this.used === this.limit) await this.emit()
    }
  }

  bytes(data: Uint8Array): Promise<void> {
    return this.fill(data.length, (chunk, at) => chunk.set(data.subarray(at, at + chunk.length)))
  }

  zeros(length: number): Promise<void> {
    return this.fill(length, (chunk) => chunk.fill(0))
  }

  /** Write what is left and wait until the target has it all. */
  async close(): Promise<void> {
    if (this.used > 0) await this.emit()
    await this.settle()
    this.rethrow()
  }

  /** Wait for the write in flight, if any, without failing: for cleaning up after an error. */
  settle(): Promise<void> {
    return this.pending
  }

  private async emit(): Promise<void> {
    // The previous write must finish before its buffer is filled again.
    await this.settle()
    this.rethrow()
    throwIfAborted(this.options.signal)
    const data = this.block.subarray(0, this.used)
    const position = this.start + this.sent
    this.sent += data.length
    this.pending = this.target.write(data, position).then(
      () => {
        this.written += data.length
        this.options.onProgress?.(this.written)
      },
      (error: unknown) => {
        this.failure ??= { error }
      },
    )
    ;[this.block, this.spare] = [this.spare, this.block]
    this.used = 0
    this.limit = this.block.length
  }

  private rethrow(): void {
    if (this.failure) throw this.failure.error
  }
}
