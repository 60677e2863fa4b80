import type { ImageExtent } from '../iso/extent-file'
import type { ImageFile } from '../iso/image-file'
import { corrupt, unsupported, type Origin } from '../iso/structure-view'
import { EntryReader } from './entry-reader'
import { FileType } from './file-entry'
import { PartitionSpace, type MappedPartition } from './partition-space'
import type { PartitionMap } from './volume-descriptors'
import type { SequenceDescriptors } from './volume-sequence'

/**
 * Resolves the logical volume's partition maps. A metadata partition is read through its
 * metadata file, falling back to the mirror copy when the main one is damaged.
 */
export async function mapPartitions(
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
