import type { StructureView } from '../iso/structure-view'
import { parseAllocationDescriptors, parseLongAd, type Allocation, type AllocationForm, type LongAd } from './allocation-descriptors'
import { TagId } from './descriptor-tag'
import { parseTimestamp } from './timestamp'

/** ICB file types (ECMA-167 4/14.6.6, UDF 2.3.5.2) this reader acts on. */
export const FileType = {
  Directory: 4,
  File: 5,
  RealTimeFile: 249,
  MetadataFile: 250,
  MetadataMirrorFile: 251,
} as const

/** Where a file's bytes are: extents named by allocation descriptors, or inside the entry itself. */
export type FileData =
  | { readonly form: AllocationForm; readonly allocations: readonly Allocation[] }
  | { readonly form: 'embedded'; readonly bytes: Uint8Array }

/** A File Entry or Extended File Entry (ECMA-167 4/14.9, 4/14.17): the inode of UDF. */
export interface FileEntry {
  readonly fileType: number
  /** Information length: the file's size in bytes. */
  readonly size: number
  readonly modified: Date | null
  readonly data: FileData
  /** Byte offset of the allocation descriptors (or embedded data) within the entry. */
  readonly dataAt: number
}

const AD_FORMS: readonly (AllocationForm | 'embedded')[] = ['short', 'long', 'extended', 'embedded']

/** An entry whose tag (File Entry or Extended File Entry) has been verified. */
export function parseFileEntry(view: StructureView): FileEntry {
  const extended = view.u16(0) === TagId.ExtendedFileEntry
  const fileType = view.u8(16 + 11)
  const adType = view.u16(16 + 18) & 7
  const form = AD_FORMS[adType]
  if (form === undefined) view.fail(`ICB tag gives allocation descriptor type ${adType}`, 16 + 18)
  const size = view.u64(56)
  const modified = parseTimestamp(view, extended ? 92 : 84)
  const eaLength = view.u32(extended ? 208 : 168)
  const adLength = view.u32(extended ? 212 : 172)
  const dataAt = (extended ? 216 : 176) + eaLength
  if (dataAt + adLength > view.length) {
    view.fail(`${eaLength} bytes of extended attributes and ${adLength} of allocation descriptors do not fit in its ${view.length} bytes`)
  }
  if (form === 'embedded') {
    if (size > adLength) view.fail(`embeds ${adLength} bytes of data for a file of ${size} bytes`, dataAt)
    return { fileType, size, modified, dataAt, data: { form, bytes: view.slice(dataAt, size) } }
  }
  return { fileType, size, modified, dataAt, data: { form, allocations: parseAllocationDescriptors(view, dataAt, adLength, form) } }
}

/** Indirect Entry (ECMA-167 4/14.7): points at the ICB that replaces this one. */
export function parseIndirectEntry(view: StructureView): LongAd {
  return parseLongAd(view, 36)
}

/** Allocation Extent Descriptor (ECMA-167 4/14.5): where a long list of descriptors goes on. */
export function parseAllocationExtent(view: StructureView, form: AllocationForm): readonly Allocation[] {
  return parseAllocationDescriptors(view, 24, view.u32(20), form)
}
