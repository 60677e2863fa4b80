import type { StructureView } from '../iso/structure-view'
import { parseLongAd, type LongAd } from './allocation-descriptors'
import { TagId } from './descriptor-tag'
import { parseEntityId } from './entity-id'
import { decodeDstring } from './osta-string'

/** extent_ad (ECMA-167 3/7.1): a run of bytes at an absolute block. */
export interface VolumeExtent {
  readonly length: number
  readonly block: number
}

function parseExtentAd(view: StructureView, at: number): VolumeExtent {
  return { length: view.u32(at), block: view.u32(at + 4) }
}

/** Anchor Volume Descriptor Pointer (ECMA-167 3/10.2). */
export interface AnchorPointer {
  readonly main: VolumeExtent
  readonly reserve: VolumeExtent
}

export function parseAnchor(view: StructureView): AnchorPointer {
  return { main: parseExtentAd(view, 16), reserve: parseExtentAd(view, 24) }
}

/** How the logical volume's blocks map onto partitions (ECMA-167 3/10.7, UDF 2.2.8-2.2.10). */
export type PartitionMap =
  | { readonly type: 'physical'; readonly partitionNumber: number }
  | {
      readonly type: 'metadata'
      readonly partitionNumber: number
      readonly metadataFile: number
      readonly mirrorFile: number
    }
  | { readonly type: 'unsupported'; readonly identifier: string }

const METADATA_PARTITION_ID = '*UDF Metadata Partition'

/** The descriptors of a volume descriptor sequence this reader uses. */
export type VolumeDescriptor =
  | { readonly kind: 'primary'; readonly sequence: number; readonly volumeIdentifier: string }
  | {
      readonly kind: 'partition'
      readonly sequence: number
      readonly partitionNumber: number
      readonly contents: string
      readonly start: number
      readonly length: number
    }
  | {
      readonly kind: 'logical-volume'
      readonly sequence: number
      readonly identifier: string
      readonly blockSize: number
      readonly domain: string
      readonly revision: number
      readonly fileSet: LongAd
      readonly maps: readonly PartitionMap[]
    }
  | { readonly kind: 'pointer'; readonly next: VolumeExtent }
  | { readonly kind: 'terminating' }
  | { readonly kind: 'other' }

export const VOLUME_DESCRIPTOR_IDS = [
  TagId.PrimaryVolume,
  TagId.VolumePointer,
  TagId.ImplementationUse,
  TagId.Partition,
  TagId.LogicalVolume,
  TagId.UnallocatedSpace,
  TagId.Terminating,
] as const

/** A descriptor of the volume descriptor sequence whose tag has been verified. */
export function parseVolumeDescriptor(view: StructureView): VolumeDescriptor {
  switch (view.u16(0)) {
    case TagId.PrimaryVolume:
      return { kind: 'primary', sequence: view.u32(16), volumeIdentifier: decodeDstring(view, 24, 32) }
    case TagId.Partition:
      return {
        kind: 'partition',
        sequence: view.u32(16),
        partitionNumber: view.u16(22),
        contents: parseEntityId(view, 24).identifier,
        start: view.u32(188),
        length: view.u32(192),
      }
    case TagId.LogicalVolume: {
      const domain = parseEntityId(view, 216)
      return {
        kind: 'logical-volume',
        sequence: view.u32(16),
        identifier: decodeDstring(view, 84, 128),
        blockSize: view.u32(212),
        domain: domain.identifier,
        revision: domain.revision,
        fileSet: parseLongAd(view, 248),
        maps: parsePartitionMaps(view, 440, view.u32(264), view.u32(268)),
      }
    }
    case TagId.VolumePointer:
      return { kind: 'pointer', next: parseExtentAd(view, 20) }
    case TagId.Terminating:
      return { kind: 'terminating' }
    default:
      return { kind: 'other' }
  }
}

function parsePartitionMaps(view: StructureView, at: number, tableLength: number, count: number): PartitionMap[] {
  const table = view.sub(at, tableLength, 'UDF partition map table')
  const maps: PartitionMap[] = []
  let offset = 0
  for (let i = 0; i < count; i++) {
    const type = table.u8(offset)
    const length = table.u8(offset + 1)
    if (length < 2) table.fail(`partition map ${i} has a length of ${length}`, offset)
    const map = table.sub(offset, length)
    if (type === 1) {
      maps.push({ type: 'physical', partitionNumber: map.u16(4) })
    } else if (type === 2) {
      const identifier = parseEntityId(map, 4).identifier
      maps.push(
        identifier === METADATA_PARTITION_ID
          ? { type: 'metadata', partitionNumber: map.u16(38), metadataFile: map.u32(40), mirrorFile: map.u32(44) }
          : { type: 'unsupported', identifier },
      )
    } else {
      maps.push({ type: 'unsupported', identifier: `type ${type}` })
    }
    offset += length
  }
  return maps
}
