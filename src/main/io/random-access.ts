import { open, type FileHandle } from 'node:fs/promises'
import { AppError } from '../../shared/errors'

/**
 * Positional reads from something with a size: a file on disk, a file inside an ISO image,
 * a region of a disk. The WIM reader works over this so it can read install.wim straight
 * out of a Windows ISO.
 */
export interface RandomAccessReader {
  /** A path or description, for errors and logs. */
  readonly name: string
  readonly size: number
  /** Reads up to buffer.length bytes at position; returns how many were read (short only at the end). */
  read(buffer: Uint8Array, position: number): Promise<number>
  close(): Promise<void>
}

export class FileReader implements RandomAccessReader {
  private constructor(
    readonly name: string,
    readonly size: number,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<FileReader> {
    let handle: FileHandle
    try {
      handle = await open(path, 'r')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new AppError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `Cannot open ${path}: ${(error as Error).message}`, { path })
    }
    const st = await handle.stat()
    if (!st.isFile()) {
      await handle.close()
      throw new AppError('VALIDATION', `${path} is not a regular file`, { path })
    }
    return new FileReader(path, st.size, handle)
  }

  read(buffer: Uint8Array, position: number): Promise<number> {
    return readFully(this.handle, buffer, position)
  }

  close(): Promise<void> {
    return this.handle.close()
  }
}

/** Bytes in memory, read like a file. */
export class BytesReader implements RandomAccessReader {
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {}

  get size(): number {
    return this.bytes.length
  }

  async read(buffer: Uint8Array, position: number): Promise<number> {
    if (!Number.isSafeInteger(position) || position < 0) throw new AppError('VALIDATION', `Bad read position ${position} in ${this.name}`, { path: this.name })
    const part = this.bytes.subarray(position, position + buffer.length)
    buffer.set(part)
    return part.length
  }

  async close(): Promise<void> {}
}

/** Reads until the buffer is full or the file ends; returns the bytes read. */
export async function readFully(handle: FileHandle, buffer: Uint8Array, position: number): Promise<number> {
  let done = 0
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done)
    if (bytesRead === 0) break
    done += bytesRead
  }
  return done
}

/**
 * Reads exactly `length` bytes at `position`, or throws CORRUPT naming what was being read:
 * a structure that runs past the end of its file means the file is truncated or damaged.
 */
export async function readExactly(reader: RandomAccessReader, position: number, length: number, structure: string): Promise<Uint8Array> {
  if (position < 0 || length < 0 || position + length > reader.size) {
    throw new AppError('CORRUPT', `${reader.name}: ${structure} (${length} bytes at offset ${position}) runs past the end of the file (${reader.size} bytes)`, {
      file: reader.name,
      structure,
      offset: position,
    })
  }
  const buffer = new Uint8Array(length)
  const got = await reader.read(buffer, position)
  if (got !== length) {
    throw new AppError('CORRUPT', `${reader.name}: ${structure} at offset ${position} is truncated (${got} of ${length} bytes)`, {
      file: reader.name,
      structure,
      offset: position,
    })
  }
  return buffer
}
