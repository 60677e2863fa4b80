import { AppError } from '../../../shared/errors'
import { FileReader } from '../../io/random-access'
import { StructureView, corrupt } from './structure-view'

/**
 * Structures are small; anything claiming more than this is damage, not data. Keeps a hostile
 * length from turning into a huge allocation.
 */
export const MAX_STRUCTURE_BYTES = 32 << 20

/** An image file opened read-only, read only at explicit positions (safe to share between readers). */
export class ImageFile {
  private closed = false

  private constructor(private readonly file: FileReader) {}

  static async open(path: string): Promise<ImageFile> {
    return new ImageFile(await FileReader.open(path))
  }

  get path(): string {
    return this.file.name
  }

  get size(): number {
    return this.file.size
  }

  /** Reads up to buffer.length bytes at position; fewer only at the end of the file. */
  read(buffer: Uint8Array, position: number): Promise<number> {
    if (this.closed) throw new AppError('VALIDATION', `${this.path} has been closed`, { path: this.path })
    return this.file.read(buffer, position)
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
    await this.file.close()
  }
}
