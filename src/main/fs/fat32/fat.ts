/**
 * The file allocation table: 32-bit little-endian entries whose low 28 bits are the next
 * cluster of a chain, or a marker.
 */
import { FAT_ENTRY_SIZE, FIRST_DATA_CLUSTER } from './geometry'

const ENTRY_MASK = 0x0fffffff
export const END_OF_CHAIN = 0x0fffffff
const BAD_CLUSTER = 0x0ffffff7
/** FAT[1]: end of chain with the "cleanly unmounted" and "no disk errors" bits set. */
const RESERVED_ENTRY_1 = 0x0fffffff

/**
 * A FAT whose used clusters, FIRST_DATA_CLUSTER up to `end`, are all chains of consecutive
 * clusters laid end to end: described by where each chain stops.
 */
export interface ContiguousChains {
  media: number
  /** Last cluster of every chain, ascending. */
  lastClusters: Uint32Array
  /** First cluster after the last chain; it and all above are free. */
  end: number
}

/**
 * Fill `dest` with the FAT entries from `firstEntry` on. Generating any window of the
 * table on demand is what lets the writer stream a FAT of hundreds of MiB in pieces.
 */
export function fillFat(dest: Uint8Array, firstEntry: number, chains: ContiguousChains): void {
  const view = new DataView(dest.buffer, dest.byteOffset, dest.byteLength)
  const used = Math.min(dest.length / FAT_ENTRY_SIZE, Math.max(0, chains.end - firstEntry))
  let chain = firstChainEndingAtOrAfter(chains.lastClusters, firstEntry)
  for (let i = 0; i < used; i++) {
    const entry = firstEntry + i
    let value: number
    if (entry === 0) value = 0x0fffff00 | chains.media
    else if (entry === 1) value = RESERVED_ENTRY_1
    else if (entry === chains.lastClusters[chain]) {
      value = END_OF_CHAIN
      chain++
    } else value = entry + 1
    view.setUint32(i * FAT_ENTRY_SIZE, value, true)
  }
  // Free clusters: most of the FAT of a large volume.
  dest.fill(0, used * FAT_ENTRY_SIZE)
}

function firstChainEndingAtOrAfter(lastClusters: Uint32Array, cluster: number): number {
  let low = 0
  let high = lastClusters.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (lastClusters[mid]! < cluster) low = mid + 1
    else high = mid
  }
  return low
}

/** What a FAT entry says about the cluster after this one. */
export type FatLink = { kind: 'next'; cluster: number } | { kind: 'end' } | { kind: 'free' } | { kind: 'bad' } | { kind: 'reserved'; value: number }

export function decodeFatEntry(raw: number): FatLink {
  const value = raw & ENTRY_MASK
  if (value === 0) return { kind: 'free' }
  if (value >= 0x0ffffff8) return { kind: 'end' }
  if (value === BAD_CLUSTER) return { kind: 'bad' }
  if (value < FIRST_DATA_CLUSTER) return { kind: 'reserved', value }
  return { kind: 'next', cluster: value }
}
