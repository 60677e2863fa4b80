import { open, type FileHandle } from 'node:fs/promises'
import { AppError } from '../../../shared/errors'
import { StructureView, corrupt } from './structure-view'

/**
 * Structures are small; anything claiming more than this is damage, not data. Keeps a hostile
 * length from turning into a huge allocation.
 */
export const MAX_STRUCTURE_BYTES = 32 << 20

/** An image file opened read-only, read only at explicit positions (safe to share between readers). */
export class ImageFile {
  private closed = false

  private constructor(
    readonly path: string,
    readonly size: number,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<ImageFile> {
    let handle: FileHandle
    try {
      handle = await open(path, 'r')
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code
      throw new AppError(errno === 'ENOENT' ? 'NOT_FOUND' : 'IO', `Cannot open ${path}: ${(error as Error).message}`, { path }, { cause: error })
    }
    const stat = await handle.stat()
    if (!stat.isFile()) {
      await handle.close()
      throw new AppError('VALIDATION', `${path} is not a regular file`, { path })
    }
    return new ImageFile(path, stat.size, handle)
  }

  /** Reads up to buffer.length bytes at position; fewer only at the end of the file. */
  async read(buffer: Uint8Array, position: number): Promise<number> {
    if (this.closed) throw new AppError('VALIDATION', `${this.path} has been closed`, { path: this.path })
    let done = 0
    while (done < buffer.length) {
      const { bytesRead } = await this.handle.read(buffer, done, buffer.length - done, position + done)
      if (bytesRead === 0) break
      done += bytesRead
    }
    return done
  }

  /** Exactly `length` bytes of one structure at `offset`, or CORRUPT if the image ends first. */
  async structure(offset: number, length: number, structure: string): Promise<StructureView> {
    const origin = { file: this.path, offset }
    if (length > MAX_STRUCTURE_BYTES) throw corrupt(origin, structure, `claims ${length} bytes, more than any real one`)
    if (offset < 0 || offset + length > this.size) {
      throw corrupt(origin, structure, `${length} bytes would end past the end of the ${this.size}-byte image (truncated?)`)
    }
    const bytes = new Uint8Array(length)
    const got = await this.read(bytes, offset)
    if (got !== length) throw corrupt(origin, structure, `only ${got} of ${length} bytes could be read`)
    return new StructureView(bytes, origin, structure)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.handle.close()
  }
}
