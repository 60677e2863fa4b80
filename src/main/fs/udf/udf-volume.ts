import type { SourceFile } from '../source-tree'
import { extentFile, type ImageExtent } from '../iso/extent-file'
import { MAX_STRUCTURE_BYTES, type ImageFile } from '../iso/image-file'
import type { FileSystemView, ImageNode } from '../iso/image-tree'
import { corrupt, StructureView, unsupported, type Origin } from '../iso/structure-view'
import type { Allocation, BlockAddress } from './allocation-descriptors'
import { tagProblem, TagId, verifyTag } from './descriptor-tag'
import { formatUdfRevision } from './entity-id'
import { FileType, parseAllocationExtent, parseFileEntry, parseIndirectEntry, type FileEntry } from './file-entry'
import { parseFileIdentifiers } from './file-identifier'
import { parseFileSetRoot } from './file-set'
import { PartitionSpace, type MappedPartition } from './partition-space'
import {
  parseAnchor,
  parseVolumeDescriptor,
  VOLUME_DESCRIPTOR_IDS,
  type AnchorPointer,
  type PartitionMap,
  type VolumeDescriptor,
  type VolumeExtent,
} from './volume-descriptors'

/** Block sizes tried for the anchor: optical media first, then what hard-disk UDF uses. */
const BLOCK_SIZES = [2048, 512, 1024, 4096]
const ANCHOR_BLOCK = 256
/** Bounds on chains read from the image, so a hostile one ends in an error, not a hang. */
const MAX_SEQUENCE_BLOCKS = 256
const MAX_SEQUENCE_EXTENTS = 8
const MAX_INDIRECT_ENTRIES = 16
const MAX_ALLOCATION_EXTENTS = 4096

export interface UdfNode extends ImageNode {
  readonly icb: BlockAddress
  readonly entry: FileEntry
  readonly entryOrigin: Origin
}

/** A file's allocation descriptors with every continuation followed and every partition resolved. */
interface Placed extends Allocation {
  readonly partition: number
  readonly origin: Origin
}

interface SequenceDescriptors {
  primary?: Extract<VolumeDescriptor, { kind: 'primary' }>
  logical?: Extract<VolumeDescriptor, { kind: 'logical-volume' }>
  partitions: Map<number, Extract<VolumeDescriptor, { kind: 'partition' }>>
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
    const placed = await this.reader.allocations(directory)
    const extents = this.reader.extents(placed, directory)
    const data = new Uint8Array(entry.size)
    await extentFile(this.image, extents, entry.size, entryOrigin, 'UDF file entry').read(data, 0)
    const first = extents[0]
    const offset = first?.kind === 'image' ? first.offset : entryOrigin.offset + entry.dataAt
    const view = new StructureView(data, { file: this.image.path, offset }, 'UDF directory')
    const nodes: UdfNode[] = []
    for (const fid of parseFileIdentifiers(view, (at) => blockOf(placed, directory, at, this.reader.blockSize))) {
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

/** Reads file entries and their allocation descriptors through the volume's partitions. */
class EntryReader {
  constructor(
    private readonly image: ImageFile,
    private readonly space: PartitionSpace,
  ) {}

  get blockSize(): number {
    return this.space.blockSize
  }

  /** Where one block of a partition is in the image. */
  resolve(partition: number, block: number, origin: Origin): ImageExtent[] {
    return this.space.resolve(partition, block, this.space.blockSize, origin, 'UDF allocation descriptor')
  }

  /** The file entry an ICB address leads to, following indirect entries. */
  async entry(icb: BlockAddress, origin: Origin, structure: string): Promise<{ entry: FileEntry; icb: BlockAddress; entryOrigin: Origin }> {
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
  async allocations(file: { entry: FileEntry; icb: BlockAddress; entryOrigin: Origin }): Promise<Placed[]> {
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

/** The partition block a byte of a directory's data is recorded in, as its descriptors' tags name it. */
function blockOf(placed: readonly Placed[], directory: UdfNode, offset: number, blockSize: number): number {
  let start = 0
  for (const allocation of placed) {
    if (offset < start + allocation.length) return allocation.block + Math.floor((offset - start) / blockSize)
    start += allocation.length
  }
  return directory.icb.block
}

async function findAnchor(image: ImageFile): Promise<{ blockSize: number; anchor: AnchorPointer } | null> {
  for (const blockSize of BLOCK_SIZES) {
    const last = Math.floor(image.size / blockSize) - 1
    if (last < ANCHOR_BLOCK) continue
    for (const block of [ANCHOR_BLOCK, last - ANCHOR_BLOCK, last]) {
      const view = await image.structure(block * blockSize, blockSize, 'UDF anchor volume descriptor pointer')
      if (tagProblem(view, [TagId.AnchorPointer], block) === null) return { blockSize, anchor: parseAnchor(view) }
    }
  }
  return null
}

/** The main volume descriptor sequence, or the reserve copy when the main one is damaged or incomplete. */
async function readVolumeDescriptors(image: ImageFile, anchor: AnchorPointer, blockSize: number): Promise<SequenceDescriptors> {
  let mainProblem: unknown
  try {
    const main = await readSequence(image, anchor.main, blockSize)
    if (main.logical !== undefined && main.partitions.size > 0) return main
  } catch (error) {
    mainProblem = error
  }
  try {
    return await readSequence(image, anchor.reserve, blockSize)
  } catch (error) {
    throw mainProblem ?? error
  }
}

async function readSequence(image: ImageFile, start: VolumeExtent, blockSize: number): Promise<SequenceDescriptors> {
  const found: SequenceDescriptors = { partitions: new Map() }
  let extent: VolumeExtent | null = start
  for (let hops = 0; extent !== null; hops++) {
    if (hops >= MAX_SEQUENCE_EXTENTS) {
      throw corrupt({ file: image.path, offset: extent.block * blockSize }, 'UDF volume descriptor pointer', `the sequence goes on past ${MAX_SEQUENCE_EXTENTS} extents`)
    }
    const blocks = Math.min(Math.floor(extent.length / blockSize), MAX_SEQUENCE_BLOCKS)
    let next: VolumeExtent | null = null
    for (let i = 0; i < blocks && next === null; i++) {
      const block = extent.block + i
      const view = await image.structure(block * blockSize, blockSize, 'UDF volume descriptor')
      verifyTag(view, VOLUME_DESCRIPTOR_IDS, block)
      const descriptor = parseVolumeDescriptor(view)
      if (descriptor.kind === 'terminating') return found
      if (descriptor.kind === 'pointer') next = descriptor.next
      else if (descriptor.kind === 'primary' && (found.primary?.sequence ?? -1) < descriptor.sequence) found.primary = descriptor
      else if (descriptor.kind === 'logical-volume' && (found.logical?.sequence ?? -1) < descriptor.sequence) found.logical = descriptor
      else if (descriptor.kind === 'partition' && (found.partitions.get(descriptor.partitionNumber)?.sequence ?? -1) < descriptor.sequence) {
        found.partitions.set(descriptor.partitionNumber, descriptor)
      }
    }
    extent = next
  }
  return found
}

/**
 * Resolves the logical volume's partition maps. A metadata partition is read through its
 * metadata file, falling back to the mirror copy when the main one is damaged.
 */
async function mapPartitions(
  image: ImageFile,
  blockSize: number,
  maps: readonly PartitionMap[],
  descriptors: SequenceDescriptors['partitions'],
  origin: Origin,
): Promise<PartitionSpace> {
  const physical = maps.map((map): MappedPartition => {
    if (map.type === 'unsupported') throw unsupported(origin, 'UDF logical volume descriptor', `a partition map of kind ${JSON.stringify(map.identifier)}`)
    const descriptor = descriptors.get(map.partitionNumber)
    if (descriptor === undefined) throw corrupt(origin, 'UDF logical volume descriptor', `it maps partition ${map.partitionNumber}, which has no partition descriptor`)
    return { kind: 'physical', start: descriptor.start, blocks: descriptor.length }
  })
  const physicalSpace = new PartitionSpace(blockSize, physical)
  const reader = new EntryReader(image, physicalSpace)
  const mapped: MappedPartition[] = []
  for (const [index, map] of maps.entries()) {
    if (map.type !== 'metadata') {
      mapped.push(physical[index])
      continue
    }
    const partition = maps.findIndex((other) => other.type === 'physical' && other.partitionNumber === map.partitionNumber)
    if (partition < 0) throw corrupt(origin, 'UDF logical volume descriptor', `its metadata partition lies on partition ${map.partitionNumber}, which no type 1 map names`)
    mapped.push({ kind: 'metadata', extents: await readMetadataFile(reader, partition, map, origin) })
  }
  return new PartitionSpace(blockSize, mapped)
}

/** The extents of the metadata file, or of its mirror when the main copy is damaged (UDF 2.2.13). */
async function readMetadataFile(
  reader: EntryReader,
  partition: number,
  map: Extract<PartitionMap, { type: 'metadata' }>,
  origin: Origin,
): Promise<ImageExtent[]> {
  const attempts: [number, number][] = [
    [map.metadataFile, FileType.MetadataFile],
    [map.mirrorFile, FileType.MetadataMirrorFile],
  ]
  let firstProblem: unknown
  for (const [block, fileType] of attempts) {
    try {
      const file = await reader.entry({ partition, block }, origin, 'UDF metadata partition map')
      if (file.entry.fileType !== fileType) throw corrupt(file.entryOrigin, 'UDF file entry', `has file type ${file.entry.fileType}, not the metadata file's ${fileType}`)
      return reader.extents(await reader.allocations(file), file)
    } catch (error) {
      firstProblem ??= error
    }
  }
  throw firstProblem
}
