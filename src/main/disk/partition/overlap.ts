import { partitionLastLba, type PartitionCommon } from './layout'

type Extent = Pick<PartitionCommon, 'index' | 'firstLba' | 'sectorCount'>

/** The first pair of partitions that share a sector, or null. Reader and writer both refuse one. */
export function findOverlap(partitions: readonly Extent[]): [Extent, Extent] | null {
  const sorted = [...partitions].sort((a, b) => a.firstLba - b.firstLba)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].firstLba <= partitionLastLba(sorted[i - 1])) return [sorted[i - 1], sorted[i]]
  }
  return null
}
