import { AppError } from '../../../shared/errors'
import { checkReadPosition, type SourceFile } from '../source-tree'
import type { ImageFile } from './image-file'
import { corrupt, type Origin } from './structure-view'

/**
 * One piece of a file's content, in file order: bytes at an image offset, a run of zeros
 * (UDF extents allocated or reserved but not recorded), or bytes held inside the directory
 * structure itself (UDF data embedded in the ICB).
 */
export type ImageExtent =
  | { readonly kind: 'image'; readonly offset: number; readonly length: number }
  | { readonly kind: 'zeros'; readonly length: number }
  | { readonly kind: 'bytes'; readonly data: Uint8Array }

export function extentLength(extent: ImageExtent): number {
  return extent.kind === 'bytes' ? extent.data.length : extent.length
}

/**
 * A file over its extents, checked against the image before any read: each must lie inside
 * the image, and together they must hold `size` bytes. A truncated image or a wild extent
 * becomes a CORRUPT error naming the structure that recorded it when the file is opened, not
 * a short read in the middle of a copy.
 */
export function extentFile(image: ImageFile, extents: readonly ImageExtent[], size: number, origin: Origin, structure: string): SourceFile {
  let total = 0
  for (const extent of extents) {
    if (extent.kind === 'image' && extent.offset + extent.length > image.size) {
      throw corrupt(origin, structure, `an extent of ${extent.length} bytes at image byte ${extent.offset} ends past the end of the ${image.size}-byte image (truncated?)`)
    }
    total += extentLength(extent)
  }
  if (total < size) throw corrupt(origin, structure, `the file is ${size} bytes but its extents hold only ${total}`)
  return new ExtentFile(image, extents.filter((extent) => extentLength(extent) > 0), size)
}

/** A file assembled from extents, with positional reads that cross extent boundaries. */
class ExtentFile implements SourceFile {
  /** File position where each extent starts, for a binary search per read. */
  private readonly starts: number[] = []

  constructor(
    private readonly image: ImageFile,
    private readonly extents: readonly ImageExtent[],
    readonly size: number,
  ) {
    let start = 0
    for (const extent of extents) {
      this.starts.push(start)
      start += extentLength(extent)
    }
  }

  async read(buffer: Uint8Array, position: number): Promise<number> {
    checkReadPosition(position, this.image.path)
    const wanted = Math.max(0, Math.min(buffer.length, this.size - position))
    let done = 0
    let index = this.extentAt(position)
    while (done < wanted) {
      const extent = this.extents[index]
      const inner = position + done - this.starts[index]
      const count = Math.min(wanted - done, extentLength(extent) - inner)
      const target = buffer.subarray(done, done + count)
      if (extent.kind === 'image') {
        const got = await this.image.read(target, extent.offset + inner)
        if (got !== count) {
          throw new AppError('IO', `${this.image.path} ended at byte ${extent.offset + inner + got} while reading a file (did it change?)`, { path: this.image.path, offset: extent.offset + inner + got })
        }
      } else if (extent.kind === 'zeros') {
        target.fill(0)
      } else {
        target.set(extent.data.subarray(inner, inner + count))
      }
      done += count
      index += 1
    }
    return done
  }

  async close(): Promise<void> {
    // The image's handle is shared by every file opened from it; the image closes it.
  }

  private extentAt(position: number): number {
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.starts[middle] <= position) low = middle
      else high = middle - 1
    }
    return low
  }
}
