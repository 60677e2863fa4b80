import { AppError } from '../../../shared/errors'
import { FileReader } from '../../io/random-access'
import { StructureView, corrupt } from './structure-view'

/**
 * Structures are small; anything claiming more than this is damage, not data. Keeps a hostile
 * length from turning into a huge allocation.
 */
export const MAX_STRUCTURE_BYTES = 32 << 20

/**
 * Structures are read through a small cache of 64 KiB blocks: a Windows ISO has one 2 KiB
 * file entry per file, mostly side by side, and reading them one by one (each a round trip
 * through the thread pool, about 0.5 ms) took 0.25 s of every walk of the tree.
 */
const BLOCK_BYTES = 64 * 1024
const CACHED_BLOCKS = 32
/** Larger structures are read on their own, past the cache. */
const MAX_CACHED_STRUCTURE = 4 * BLOCK_BYTES

/** An image file opened read-only, read only at explicit positions (safe to share between readers). */
export class ImageFile {
  private closed = false
  /** Cached blocks by index, least recently used first. */
  private readonly blocks = new Map<number, Uint8Array>()

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
    const got = length > MAX_CACHED_STRUCTURE ? await this.read(bytes, offset) : await this.readCached(bytes, offset)
    if (got !== length) throw corrupt(origin, structure, `only ${got} of ${length} bytes could be read`)
    return new StructureView(bytes, origin, structure)
  }

  /** Fills `into` from the cached blocks that cover it; returns the bytes there were. */
  private async readCached(into: Uint8Array, offset: number): Promise<number> {
    let done = 0
    while (done < into.length) {
      const at = offset + done
      const index = Math.floor(at / BLOCK_BYTES)
      const block = await this.block(index)
      const piece = block.subarray(at - index * BLOCK_BYTES, at - index * BLOCK_BYTES + into.length - done)
      if (piece.length === 0) break
      into.set(piece, done)
      done += piece.length
    }
    return done
  }

  private async block(index: number): Promise<Uint8Array> {
    const cached = this.blocks.get(index)
    if (cached) {
      this.blocks.delete(index)
      this.blocks.set(index, cached)
      return cached
    }
    const bytes = new Uint8Array(Math.max(0, Math.min(BLOCK_BYTES, this.size - index * BLOCK_BYTES)))
    const block = bytes.subarray(0, await this.read(bytes, index * BLOCK_BYTES))
    this.blocks.set(index, block)
    if (this.blocks.size > CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!)
    return block
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.blocks.clear()
    await this.file.close()
  }
}
