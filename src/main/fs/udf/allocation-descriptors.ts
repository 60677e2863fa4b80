import type { StructureView } from '../iso/structure-view'

/** A logical block address inside a partition, lb_addr (ECMA-167 4/7.1). */
export interface BlockAddress {
  readonly block: number
  /** Index into the logical volume's partition maps. */
  readonly partition: number
}

/** long_ad (ECMA-167 4/14.14.2): an extent anywhere in the logical volume. */
export interface LongAd extends BlockAddress {
  readonly length: number
}

/** What an allocation descriptor's two type bits say its extent is (ECMA-167 4/14.14.1.1). */
export type ExtentKind = 'recorded' | 'allocated' | 'unallocated' | 'continuation'

const EXTENT_KINDS: readonly ExtentKind[] = ['recorded', 'allocated', 'unallocated', 'continuation']

/**
 * One allocation descriptor. `partition` is null for short descriptors, which mean "the
 * partition the describing entry is in".
 */
export interface Allocation {
  readonly kind: ExtentKind
  readonly length: number
  readonly block: number
  readonly partition: number | null
}

export type AllocationForm = 'short' | 'long' | 'extended'

const DESCRIPTOR_BYTES: Record<AllocationForm, number> = { short: 8, long: 16, extended: 20 }

export function parseLongAd(view: StructureView, at: number): LongAd {
  return { length: view.u32(at) & 0x3fffffff, block: view.u32(at + 4), partition: view.u16(at + 8) }
}

/**
 * The allocation descriptors in `length` bytes at `at`, in order. An extent length of zero
 * ends the list early (ECMA-167 4/12); a continuation descriptor is returned as such and is
 * the caller's to follow.
 */
export function parseAllocationDescriptors(view: StructureView, at: number, length: number, form: AllocationForm): Allocation[] {
  const size = DESCRIPTOR_BYTES[form]
  if (length % size !== 0) view.fail(`${length} bytes of ${form} allocation descriptors is not a whole number of ${size}-byte descriptors`, at)
  const allocations: Allocation[] = []
  for (let offset = at; offset < at + length; offset += size) {
    const raw = view.u32(offset)
    const extentLength = raw & 0x3fffffff
    if (extentLength === 0) break
    const kind = EXTENT_KINDS[raw >>> 30]
    if (form === 'short') allocations.push({ kind, length: extentLength, block: view.u32(offset + 4), partition: null })
    else if (form === 'long') allocations.push({ kind, length: extentLength, block: view.u32(offset + 4), partition: view.u16(offset + 8) })
    else allocations.push({ kind, length: extentLength, block: view.u32(offset + 12), partition: view.u16(offset + 16) })
  }
  return allocations
}
