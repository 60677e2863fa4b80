import type { ImageFile } from '../iso/image-file'
import { corrupt } from '../iso/structure-view'
import { tagProblem, TagId, verifyTag } from './descriptor-tag'
import { parseAnchor, parseVolumeDescriptor, VOLUME_DESCRIPTOR_IDS, type AnchorPointer, type VolumeDescriptor, type VolumeExtent } from './volume-descriptors'

/** Block sizes tried for the anchor: optical media first, then what hard-disk UDF uses. */
const BLOCK_SIZES = [2048, 512, 1024, 4096]
export const ANCHOR_BLOCK = 256
/** Bounds on chains read from the image, so a hostile one ends in an error, not a hang. */
const MAX_SEQUENCE_BLOCKS = 256
const MAX_SEQUENCE_EXTENTS = 8

/** The descriptors of the volume descriptor sequence a reader needs, the latest of each. */
export interface SequenceDescriptors {
  primary?: Extract<VolumeDescriptor, { kind: 'primary' }>
  logical?: Extract<VolumeDescriptor, { kind: 'logical-volume' }>
  partitions: Map<number, Extract<VolumeDescriptor, { kind: 'partition' }>>
}

/** The anchor volume descriptor pointer at block 256, N-256 or N-1 (ECMA-167 3/8.4.2), and the block size it was found with. */
export async function findAnchor(image: ImageFile): Promise<{ blockSize: number; anchor: AnchorPointer } | null> {
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
export async function readVolumeDescriptors(image: ImageFile, anchor: AnchorPointer, blockSize: number): Promise<SequenceDescriptors> {
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
