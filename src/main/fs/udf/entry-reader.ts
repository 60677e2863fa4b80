import { corrupt, type Origin } from '../iso/structure-view'
import type { ImageExtent } from '../iso/extent-file'
import type { ImageFile } from '../iso/image-file'
import type { Allocation, BlockAddress } from './allocation-descriptors'
import { TagId, verifyTag } from './descriptor-tag'
import { FileType, parseAllocationExtent, parseFileEntry, parseIndirectEntry, type FileEntry } from './file-entry'
import type { PartitionSpace } from './partition-space'
import type { UdfNode } from './udf-volume'

/** Bounds on chains read from the image, so a hostile one ends in an error, not a hang. */
const MAX_INDIRECT_ENTRIES = 16
const MAX_ALLOCATION_EXTENTS = 4096

/** A file's allocation descriptors with every continuation followed and every partition resolved. */
export interface Placed extends Allocation {
  readonly partition: number
  readonly origin: Origin
}

/** A file entry with where it was found. */
export interface LocatedEntry {
  readonly entry: FileEntry
  readonly icb: BlockAddress
  readonly entryOrigin: Origin
}

/** Reads file entries and their allocation descriptors through the volume's partitions. */
export class EntryReader {
  constructor(
    private readonly image: ImageFile,
    private readonly space: PartitionSpace,
  ) {}

  /** Where one block of a partition is in the image. */
  resolve(partition: number, block: number, origin: Origin): ImageExtent[] {
    return this.space.resolve(partition, block, this.space.blockSize, origin, 'UDF allocation descriptor')
  }

  /** The file entry an ICB address leads to, following indirect entries. */
  async entry(icb: BlockAddress, origin: Origin, structure: string): Promise<LocatedEntry> {
    let address = icb
    for (let hop = 0; hop < MAX_INDIRECT_ENTRIES; hop++) {
      const offset = this.space.blockOffset(address.partition, address.block, origin, structure)
      const view = await this.image.structure(offset, this.space.blockSize, 'UDF file entry')
      const id = verifyTag(view, [TagId.FileEntry, TagId.ExtendedFileEntry, TagId.Indirect], address.block)
      if (id !== TagId.Indirect) return { entry: parseFileEntry(view), icb: address, entryOrigin: view.origin }
      address = parseIndirectEntry(view)
    }
    throw corrupt(origin, structure, `leads through more than ${MAX_INDIRECT_ENTRIES} indirect entries`)
  }

  /**
   * The node for a name pointing at an ICB. Null for what a source tree does not offer
   * (symbolic links, devices, streams): only directories and regular files go onto boot media.
   */
  async node(name: string, icb: BlockAddress, origin: Origin, structure: string): Promise<UdfNode | null> {
    const found = await this.entry(icb, origin, structure)
    const { entry } = found
    const isDirectory = entry.fileType === FileType.Directory
    if (!isDirectory && entry.fileType !== FileType.File && entry.fileType !== FileType.RealTimeFile) return null
    return {
      ...found,
      name,
      isDirectory,
      size: entry.size,
      modified: entry.modified,
      origin,
      structure,
      location: `${found.icb.partition}:${found.icb.block}`,
    }
  }

  /** A file's allocation descriptors, continued through allocation extent descriptors. */
  async allocations(file: LocatedEntry): Promise<Placed[]> {
    const { data } = file.entry
    if (data.form === 'embedded') return []
    const placed: Placed[] = []
    const visited = new Set<string>()
    let pending = data.allocations
    let origin = file.entryOrigin
    for (;;) {
      const continuation = pending.find((allocation) => allocation.kind === 'continuation')
      for (const allocation of pending) {
        if (allocation === continuation) break
        placed.push({ ...allocation, partition: allocation.partition ?? file.icb.partition, origin })
      }
      if (continuation === undefined) return placed
      const partition = continuation.partition ?? file.icb.partition
      const key = `${partition}:${continuation.block}`
      if (visited.has(key) || visited.size >= MAX_ALLOCATION_EXTENTS) {
        throw corrupt(origin, 'UDF allocation descriptor', `allocation extents loop back or go on past ${MAX_ALLOCATION_EXTENTS}`)
      }
      visited.add(key)
      const offset = this.space.blockOffset(partition, continuation.block, origin, 'UDF allocation descriptor')
      const view = await this.image.structure(offset, this.space.blockSize, 'UDF allocation extent descriptor')
      verifyTag(view, [TagId.AllocationExtent], continuation.block)
      pending = parseAllocationExtent(view, data.form)
      origin = view.origin
    }
  }

  /** The image extents of placed allocations; for embedded data, the data itself. */
  extents(placed: readonly Placed[], file: { entry: FileEntry }): ImageExtent[] {
    const { data } = file.entry
    if (data.form === 'embedded') return [{ kind: 'bytes', data: data.bytes }]
    return placed.flatMap((allocation): ImageExtent[] =>
      allocation.kind === 'recorded'
        ? this.space.resolve(allocation.partition, allocation.block, allocation.length, allocation.origin, 'UDF allocation descriptor')
        : [{ kind: 'zeros', length: allocation.length }],
    )
  }
}
