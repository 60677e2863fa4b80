import { open, type FileHandle } from 'node:fs/promises'
import { AppError } from '../../../shared/errors'

const BUFFER_BYTES = 8 * 1024 * 1024

/**
 * A file written front to back through a large buffer, with the odd patch of bytes already
 * written (a chunk table reserved before its chunks, a header written last).
 */
export class OutputFile {
  private buffer = new Uint8Array(BUFFER_BYTES)
  private buffered = 0
  /** File offset where the buffer starts. */
  private flushedEnd: number

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    start: number,
  ) {
    this.flushedEnd = start
  }

  static async create(path: string): Promise<OutputFile> {
    return new OutputFile(path, await openOrFail(path, 'w+'), 0)
  }

  /** Opens an existing file to add after its end (or after `at`). */
  static async openAt(path: string, at?: number): Promise<OutputFile> {
    const handle = await openOrFail(path, 'r+')
    return new OutputFile(path, handle, at ?? (await handle.stat()).size)
  }

  /** Where the next byte goes. */
  get position(): number {
    return this.flushedEnd + this.buffered
  }

  async write(data: Uint8Array): Promise<void> {
    if (data.length >= BUFFER_BYTES) {
      await this.flush()
      await this.writeThrough(data, this.flushedEnd)
      this.flushedEnd += data.length
      return
    }
    if (this.buffered + data.length > BUFFER_BYTES) await this.flush()
    this.buffer.set(data, this.buffered)
    this.buffered += data.length
  }

  /** Overwrites bytes already written (or buffered); never extends the file. */
  async patch(data: Uint8Array, position: number): Promise<void> {
    if (position + data.length > this.position) throw new AppError('INTERNAL', `patch at ${position} beyond the end of ${this.path}`)
    // The bytes before flushedEnd are in the file, the rest still in the buffer.
    const onDisk = Math.min(data.length, Math.max(0, this.flushedEnd - position))
    if (onDisk > 0) await this.writeThrough(data.subarray(0, onDisk), position)
    if (onDisk < data.length) this.buffer.set(data.subarray(onDisk), position + onDisk - this.flushedEnd)
  }

  async flush(): Promise<void> {
    if (this.buffered === 0) return
    await this.writeThrough(this.buffer.subarray(0, this.buffered), this.flushedEnd)
    this.flushedEnd += this.buffered
    this.buffered = 0
  }

  /** Everything written so far reaches the disk. */
  async sync(): Promise<void> {
    await this.flush()
    await this.handle.sync()
  }

  async truncate(size: number): Promise<void> {
    await this.flush()
    await this.handle.truncate(size)
    this.flushedEnd = size
  }

  async close(): Promise<void> {
    await this.flush()
    await this.handle.close()
  }

  private async writeThrough(data: Uint8Array, position: number): Promise<void> {
    let done = 0
    try {
      while (done < data.length) done += (await this.handle.write(data, done, data.length - done, position + done)).bytesWritten
    } catch (error) {
      throw new AppError('IO', `Cannot write ${this.path}: ${(error as Error).message}`, { path: this.path, offset: position + done })
    }
  }
}

async function openOrFail(path: string, flags: string): Promise<FileHandle> {
  try {
    return await open(path, flags)
  } catch (error) {
    throw new AppError('IO', `Cannot open ${path} for writing: ${(error as Error).message}`, { path })
  }
}
