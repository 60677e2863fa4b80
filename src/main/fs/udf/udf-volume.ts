import type { SourceFile } from '../source-tree'
import { extentFile } from '../iso/extent-file'
import { MAX_STRUCTURE_BYTES, type ImageFile } from '../iso/image-file'
import type { FileSystemView, ImageNode } from '../iso/image-tree'
import { corrupt, StructureView, type Origin } from '../iso/structure-view'
import type { BlockAddress } from './allocation-descriptors'
import { TagId, verifyTag } from './descriptor-tag'
import { formatUdfRevision } from './entity-id'
import { EntryReader } from './entry-reader'
import type { FileEntry } from './file-entry'
import { parseFileIdentifiers } from './file-identifier'
import { parseFileSetRoot } from './file-set'
import { mapPartitions } from './partition-maps'
import { ANCHOR_BLOCK, findAnchor, readVolumeDescriptors } from './volume-sequence'

export interface UdfNode extends ImageNode {
  readonly icb: BlockAddress
  readonly entry: FileEntry
  readonly entryOrigin: Origin
}

/** A UDF file system (ECMA-167 as profiled by OSTA UDF 1.02-2.60) read from an image. */
export class UdfVolume implements FileSystemView<UdfNode> {
  private constructor(
    private readonly image: ImageFile,
    private readonly reader: EntryReader,
    readonly revision: string,
    readonly label: string,
    readonly root: UdfNode,
  ) {}

  /**
   * The UDF volume of an image, or null when it has no anchor at all. `expected` (the volume
   * recognition sequence announced UDF) turns a missing anchor into damage.
   */
  static async open(image: ImageFile, expected: boolean): Promise<UdfVolume | null> {
    const found = await findAnchor(image)
    if (found === null) {
      if (!expected) return null
      throw corrupt(
        { file: image.path, offset: ANCHOR_BLOCK * 2048 },
        'UDF anchor volume descriptor pointer',
        'the image announces UDF but has no valid anchor at block 256, N-256 or N-1',
      )
    }
    const { blockSize, anchor } = found
    const descriptors = await readVolumeDescriptors(image, anchor, blockSize)
    const logical = descriptors.logical
    const origin = { file: image.path, offset: anchor.main.block * blockSize }
    if (logical === undefined) throw corrupt(origin, 'UDF volume descriptor sequence', 'it has no logical volume descriptor')
    if (logical.blockSize !== blockSize) {
      throw corrupt(origin, 'UDF logical volume descriptor', `its block size ${logical.blockSize} is not the ${blockSize} the anchor was found with`)
    }
    const space = await mapPartitions(image, blockSize, logical.maps, descriptors.partitions, origin)
    const fileSetOffset = space.blockOffset(logical.fileSet.partition, logical.fileSet.block, origin, 'UDF logical volume descriptor')
    const fileSet = await image.structure(fileSetOffset, blockSize, 'UDF file set descriptor')
    verifyTag(fileSet, [TagId.FileSet], logical.fileSet.block)
    const rootIcb = parseFileSetRoot(fileSet)
    const reader = new EntryReader(image, space)
    const root = await reader.node('', rootIcb, fileSet.origin, 'UDF file set descriptor')
    if (root === null || !root.isDirectory) throw corrupt(fileSet.origin, 'UDF file set descriptor', 'its root ICB is not a directory')
    const revision = logical.revision === 0 ? 'unknown' : formatUdfRevision(logical.revision)
    return new UdfVolume(image, reader, revision, logical.identifier || descriptors.primary?.volumeIdentifier || '', root)
  }

  async children(directory: UdfNode): Promise<readonly UdfNode[]> {
    const { entry, entryOrigin } = directory
    if (entry.size > MAX_STRUCTURE_BYTES) throw corrupt(entryOrigin, 'UDF file entry', `a directory of ${entry.size} bytes is beyond any real one`)
    const extents = this.reader.extents(await this.reader.allocations(directory), directory)
    const data = new Uint8Array(entry.size)
    await extentFile(this.image, extents, entry.size, entryOrigin, 'UDF file entry').read(data, 0)
    const first = extents[0]
    const offset = first?.kind === 'image' ? first.offset : entryOrigin.offset + entry.dataAt
    const view = new StructureView(data, { file: this.image.path, offset }, 'UDF directory')
    const nodes: UdfNode[] = []
    for (const fid of parseFileIdentifiers(view)) {
      const node = await this.reader.node(fid.name, fid.icb, { file: this.image.path, offset: offset + fid.at }, 'UDF file identifier')
      if (node !== null) nodes.push(node)
    }
    return nodes
  }

  async open(file: UdfNode): Promise<SourceFile> {
    const extents = this.reader.extents(await this.reader.allocations(file), file)
    return extentFile(this.image, extents, file.entry.size, file.entryOrigin, 'UDF file entry')
  }

  dataOffset(file: UdfNode): number | null {
    const { data } = file.entry
    const first = data.form === 'embedded' ? undefined : data.allocations[0]
    if (first?.kind !== 'recorded') return null
    const [extent] = this.reader.resolve(first.partition ?? file.icb.partition, first.block, file.entryOrigin)
    return extent.kind === 'image' ? extent.offset : null
  }
}
