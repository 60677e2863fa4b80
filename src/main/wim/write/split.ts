import { stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { SplitReport } from '../../../shared/wim'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import { WimArchive } from '../archive'
import { BLOB_TABLE_ENTRY_SIZE, HeaderFlag, WIM_HEADER_SIZE } from '../constants'
import type { BlobEntry, SolidResource } from '../blob-table'
import { expectedPartName } from '../split-set'
import { serializeWimXml } from '../xml/wim-info'
import { WimWriter, writerSettings, type StoredBlob } from './wim-writer'

/** Just under 4 GiB: the largest file FAT32 can hold, which is why WIMs get split. */
export const DEFAULT_SPLIT_BYTES = 4 * 1024 * 1024 * 1024 - 64 * 1024 * 1024

/** A thing that must sit whole in one part: a plain blob, or a solid resource with its blobs. */
interface Unit {
  bytes: number
  entries: number
  order: number
  plain: BlobEntry | null
  solid: { resource: SolidResource; members: BlobEntry[] } | null
}

/**
 * Splits a WIM into .swm parts of at most `maxBytes` each: part 1 holds the image metadata,
 * every part its own blob table and a copy of the XML, all parts one GUID. A blob (or a solid
 * resource) never spans parts; one larger than the limit gets a part of its own, reported.
 * Data is copied as stored: nothing is recompressed.
 */
export async function splitWim(source: string | WimArchive, firstPart: string, maxBytes: number, pool: WorkerPool, ctx: OperationContext): Promise<SplitReport> {
  const started = performance.now()
  const archive = typeof source === 'string' ? await WimArchive.open(resolve(source)) : source
  try {
    if (archive.parts.length > 1) throw new AppError('VALIDATION', `${archive.file} is already split`, { file: archive.file })
    const header = archive.header
    const xmlBytes = serializeWimXml(structuredClone(archive.info.root), 0).length + 64
    const overhead = WIM_HEADER_SIZE + xmlBytes
    if (maxBytes < overhead + 4096) throw new AppError('VALIDATION', `A part must be larger than its header and XML (${overhead + 4096} bytes at least)`, { maxBytes })

    const units: Unit[] = []
    const solidUnits = new Map<SolidResource, Unit>()
    for (const blob of archive.blobs.values()) {
      if (blob.location.kind === 'resource') {
        units.push({ bytes: blob.location.header.sizeInWim, entries: 1, order: blob.location.header.offset, plain: blob, solid: null })
        continue
      }
      const resource = blob.location.resource
      let unit = solidUnits.get(resource)
      if (!unit) {
        unit = { bytes: resource.sizeInWim, entries: 1, order: resource.offset, plain: null, solid: { resource, members: [] } }
        solidUnits.set(resource, unit)
        units.push(unit)
      }
      unit.solid!.members.push(blob)
      unit.entries++
    }
    units.sort((a, b) => a.order - b.order)

    // Part 1 starts with every image's metadata; then units fill parts in file order.
    const metadataBytes = archive.metadata.reduce((n, m) => n + (m.location.kind === 'resource' ? m.location.header.sizeInWim : 0), 0)
    const parts: Unit[][] = [[]]
    let used = overhead + metadataBytes + archive.metadata.length * BLOB_TABLE_ENTRY_SIZE
    let oversized = 0
    for (const unit of units) {
      const cost = unit.bytes + unit.entries * BLOB_TABLE_ENTRY_SIZE
      if (used + cost > maxBytes && parts[parts.length - 1]!.length > 0) {
        parts.push([])
        used = overhead
      }
      if (overhead + cost > maxBytes) oversized++
      parts[parts.length - 1]!.push(unit)
      used += cost
    }
    if (oversized) ctx.log('warn', `${oversized} file(s) are larger than a part: each got a part of its own, larger than ${maxBytes} bytes`)

    ctx.setTotal(metadataBytes + units.reduce((n, u) => n + u.bytes, 0))
    const baseRefs = new Map<string, number>()
    for (const blob of archive.blobs.values()) baseRefs.set(blob.hash, blob.refCount)
    const first = resolve(firstPart)
    const written: SplitReport['parts'] = []
    for (let p = 0; p < parts.length; p++) {
      const path = p === 0 ? first : join(dirname(first), expectedPartName(first, p + 1))
      const writer = await WimWriter.create(path, writerSettings({ compression: header.compression, chunkSize: header.chunkSize, solid: false }, pool, ctx))
      try {
        const metadata: StoredBlob[] = []
        for (const m of archive.metadata) {
          if (p === 0 && m.location.kind === 'resource') metadata.push(await writer.copyStored(m, archive.partOf(m).reader, m.location.header, { metadata: true }))
          ctx.advance(p === 0 && m.location.kind === 'resource' ? m.location.header.sizeInWim : 0)
        }
        for (const unit of parts[p]!) {
          if (unit.plain && unit.plain.location.kind === 'resource') await writer.copyStored(unit.plain, archive.partOf(unit.plain).reader, unit.plain.location.header)
          if (unit.solid) {
            const reader = archive.partOf(unit.solid.members[0]!).reader
            await writer.copyStoredSolid(reader, unit.solid.resource, unit.solid.members.map((b) => ({ hash: b.hash, size: b.size, offset: b.location.kind === 'solid' ? b.location.offset : 0 })))
          }
        }
        await writer.commit({
          images: archive.metadata.map((_, i) => (p === 0 ? { metadata: metadata[i]! } : {})),
          xml: structuredClone(archive.info.root),
          baseRefs,
          blobs: writer.stored,
          bootIndex: header.bootIndex,
          integrity: header.integrity.sizeInWim > 0,
          guid: header.guid,
          partNumber: p + 1,
          totalParts: parts.length,
          extraFlags: header.flags & HeaderFlag.RP_FIX,
        })
      } catch (error) {
        await writer.abort()
        throw error
      }
      written.push({ path, bytes: (await stat(path)).size })
    }
    return { parts: written, oversized, seconds: (performance.now() - started) / 1000 }
  } finally {
    if (typeof source === 'string') await archive.close()
  }
}
