import { extentLength, type ImageExtent } from '../iso/extent-file'
import { corrupt, type Origin } from '../iso/structure-view'

/**
 * What one partition map of the logical volume resolves to: a run of blocks of the image
 * (type 1), or the content of the metadata file (UDF 2.50 type 2), whose blocks are where
 * the metadata file's own extents put them.
 */
export type MappedPartition =
  | { readonly kind: 'physical'; readonly start: number; readonly blocks: number }
  | { readonly kind: 'metadata'; readonly extents: readonly ImageExtent[] }

/** Logical block addresses of the volume, turned into image byte ranges. */
export class PartitionSpace {
  constructor(
    readonly blockSize: number,
    private readonly partitions: readonly MappedPartition[],
  ) {}

  /**
   * The image extents holding `length` bytes from `block` of partition map `partition`.
   * Fails as CORRUPT, blaming the structure that gave the address, when the range leaves the
   * partition.
   */
  resolve(partition: number, block: number, length: number, origin: Origin, structure: string): ImageExtent[] {
    const mapped = this.partitions[partition]
    if (mapped === undefined) throw corrupt(origin, structure, `refers to partition ${partition}, but the volume has ${this.partitions.length}`)
    const blocks = Math.ceil(length / this.blockSize)
    if (mapped.kind === 'physical') {
      if (block + blocks > mapped.blocks) {
        throw corrupt(origin, structure, `an extent of ${blocks} blocks at block ${block} ends past the end of its ${mapped.blocks}-block partition`)
      }
      return [{ kind: 'image', offset: (mapped.start + block) * this.blockSize, length }]
    }
    return this.sliceMetadata(mapped.extents, block * this.blockSize, length, origin, structure)
  }

  /** The image offset of one block, for reading a descriptor there. */
  blockOffset(partition: number, block: number, origin: Origin, structure: string): number {
    const [extent] = this.resolve(partition, block, this.blockSize, origin, structure)
    if (extent.kind !== 'image' || extent.length !== this.blockSize) {
      throw corrupt(origin, structure, `points at block ${block} of partition ${partition}, which is not recorded`)
    }
    return extent.offset
  }

  private sliceMetadata(extents: readonly ImageExtent[], start: number, length: number, origin: Origin, structure: string): ImageExtent[] {
    const pieces: ImageExtent[] = []
    let position = 0
    let remaining = length
    for (const extent of extents) {
      const size = extentLength(extent)
      if (remaining > 0 && start < position + size) {
        const inner = Math.max(0, start - position)
        const count = Math.min(size - inner, remaining)
        if (extent.kind === 'image') pieces.push({ kind: 'image', offset: extent.offset + inner, length: count })
        else if (extent.kind === 'zeros') pieces.push({ kind: 'zeros', length: count })
        else pieces.push({ kind: 'bytes', data: extent.data.subarray(inner, inner + count) })
        remaining -= count
        start += count
      }
      position += size
    }
    if (remaining > 0) throw corrupt(origin, structure, `an extent at metadata byte ${start} ends past the end of the metadata partition`)
    return pieces
  }
}
