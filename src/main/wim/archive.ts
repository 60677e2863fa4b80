import { AppError } from '../../shared/errors'
import { FileReader, readExactly, type RandomAccessReader } from '../io/random-access'
import { parseBlobTableEntries, parseSolidHeader, resolveBlobTable, SOLID_HEADER_SIZE, type BlobEntry, type SolidResource } from './blob-table'
import { plainResourceLayout, solidResourceLayout, type ChunkLayout } from './chunk-layout'
import { WIM_HEADER_SIZE, WIM_VERSION_SOLID } from './constants'
import { corrupt } from './format-error'
import { parseHeader, type WimHeader } from './header'
import { parseMetadata } from './metadata/dentry-reader'
import type { WimImageTree } from './metadata/model'
import { streamResource, type ChunkCache } from './resource-reader'
import { sha1, toHex } from './sha1'
import { expectedPartName, splitPartCandidates } from './split-set'
import { parseWimXml, type WimImageInfo, type WimInfo } from './xml/wim-info'

export interface WimPart {
  number: number
  reader: RandomAccessReader
  header: WimHeader
}

/** Bytes a metadata resource may take in memory: far beyond any real image, far below a crash. */
const MAX_METADATA_BYTES = 1024 * 1024 * 1024

async function readHeaderOf(reader: RandomAccessReader): Promise<WimHeader> {
  if (reader.size < WIM_HEADER_SIZE) throw corrupt(reader.name, 'WIM header', 0, `file is only ${reader.size} bytes`)
  return parseHeader(await readExactly(reader, 0, WIM_HEADER_SIZE, 'WIM header'), reader.name, reader.size)
}

function sameGuid(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/**
 * An opened WIM, ESD or split set: header, blob table (merged over all parts), XML info,
 * and access to each image's tree and each blob's data. Data is read on demand, streamed.
 */
/**
 * The last few decoded chunks of solid resources: blobs read in offset order share chunks,
 * and decoding a 64 MiB chunk once per blob would be ruinous.
 */
class SolidChunkCache implements ChunkCache {
  private readonly entries: Array<{ layout: ChunkLayout; index: number; chunk: Uint8Array }> = []

  constructor(private readonly capacity: number) {}

  get(layout: ChunkLayout, index: number): Uint8Array | undefined {
    return this.entries.find((e) => e.layout === layout && e.index === index)?.chunk
  }

  set(layout: ChunkLayout, index: number, chunk: Uint8Array): void {
    this.entries.push({ layout, index, chunk })
    if (this.entries.length > this.capacity) this.entries.shift()
  }
}

export class WimArchive {
  private readonly solidLayouts = new Map<SolidResource, Promise<ChunkLayout>>()
  private readonly solidChunks = new SolidChunkCache(2)

  private constructor(
    readonly file: string,
    readonly parts: WimPart[],
    readonly blobs: Map<string, BlobEntry>,
    readonly metadata: BlobEntry[],
    readonly info: WimInfo,
    readonly warnings: string[],
  ) {}

  get header(): WimHeader {
    return this.parts[0]!.header
  }

  get images(): WimImageInfo[] {
    return this.info.images
  }

  /** Opens a WIM or ESD file, or the first part of a split set (the other parts are found beside it). */
  static async open(path: string): Promise<WimArchive> {
    const first = await FileReader.open(path)
    try {
      const header = await readHeaderOf(first)
      if (header.partNumber !== 1) {
        throw new AppError('VALIDATION', `${path} is part ${header.partNumber} of a split WIM: open the first part`, { file: path })
      }
      const readers: RandomAccessReader[] = [first]
      if (header.totalParts > 1) readers.push(...(await WimArchive.findParts(path, header)))
      return await WimArchive.fromReaders(readers)
    } catch (error) {
      await first.close()
      throw error
    }
  }

  private static async findParts(path: string, first: WimHeader): Promise<RandomAccessReader[]> {
    const found = new Map<number, RandomAccessReader>()
    for (const candidate of splitPartCandidates(path)) {
      const reader = await FileReader.open(candidate)
      try {
        const header = await readHeaderOf(reader)
        if (sameGuid(header.guid, first.guid) && header.partNumber > 1 && !found.has(header.partNumber)) {
          found.set(header.partNumber, reader)
          continue
        }
      } catch {
        // Not a part of this set: ignore it.
      }
      await reader.close()
    }
    const missing: number[] = []
    for (let n = 2; n <= first.totalParts; n++) if (!found.has(n)) missing.push(n)
    if (missing.length > 0) {
      await Promise.all([...found.values()].map((r) => r.close()))
      throw new AppError('NOT_FOUND', `Split WIM ${path} needs ${first.totalParts} parts; missing part ${missing.join(', ')} (e.g. ${expectedPartName(path, missing[0]!)})`, {
        file: path,
        missing: missing.map(String),
      })
    }
    return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r)
  }

  /** Opens from readers: one for a plain WIM, or every part of a split set (part 1 first). */
  static async fromReaders(readers: RandomAccessReader[]): Promise<WimArchive> {
    const first = readers[0]!
    const parts: WimPart[] = []
    for (const reader of readers) parts.push({ number: parts.length + 1, reader, header: await readHeaderOf(reader) })
    const head = parts[0]!.header
    for (const part of parts) {
      if (part.header.partNumber !== part.number || part.header.totalParts !== head.totalParts || !sameGuid(part.header.guid, head.guid)) {
        throw corrupt(part.reader.name, 'WIM header', 40, `is not part ${part.number} of ${head.totalParts} of the set of ${first.name}`)
      }
    }
    if (parts.length !== head.totalParts) throw new AppError('NOT_FOUND', `${first.name} is part of a ${head.totalParts}-part split WIM`, { file: first.name })

    const blobs = new Map<string, BlobEntry>()
    let metadata: BlobEntry[] = []
    const warnings: string[] = []
    for (const part of parts) {
      const { header, reader } = part
      const raw = await readExactly(reader, header.blobTable.offset, header.blobTable.sizeInWim, 'blob table')
      const table = await resolveBlobTable(parseBlobTableEntries(raw, reader.name, header.blobTable.offset), {
        file: reader.name,
        partNumber: part.number,
        solidAllowed: header.version === WIM_VERSION_SOLID,
        readSolidHeader: async (offset) => parseSolidHeader(await readExactly(reader, offset, SOLID_HEADER_SIZE, 'solid resource header'), reader.name, offset),
      })
      if (part.number === 1) metadata = table.metadata
      for (const [hash, blob] of table.blobs) if (!blobs.has(hash)) blobs.set(hash, blob)
      warnings.push(...table.warnings.map((w) => `${reader.name}: ${w}`))
    }
    if (metadata.length !== head.imageCount) {
      throw corrupt(first.name, 'blob table', head.blobTable.offset, `has ${metadata.length} image metadata resources for ${head.imageCount} images`)
    }
    const xmlBytes = await readExactly(first, head.xml.offset, head.xml.sizeInWim, 'XML data')
    const info = parseWimXml(xmlBytes, first.name, head.xml.offset, head.imageCount)
    return new WimArchive(first.name, parts, blobs, metadata, info, warnings)
  }

  /** A 1-based image index from "2", 2 or an image name (case-insensitive), or a clear error. */
  resolveImage(spec: string | number): number {
    const count = this.images.length
    const asNumber = typeof spec === 'number' ? spec : /^\d+$/.test(spec.trim()) ? Number(spec) : NaN
    if (Number.isInteger(asNumber)) {
      if (asNumber >= 1 && asNumber <= count) return asNumber
      throw new AppError('NOT_FOUND', `${this.file} has no image ${asNumber} (it has ${count})`, { file: this.file, image: String(spec) })
    }
    const wanted = String(spec).toLowerCase()
    const match = this.images.find((i) => i.name?.toLowerCase() === wanted)
    if (match) return match.index
    const names = this.images.map((i) => `${i.index}: ${i.name ?? '(unnamed)'}`).join('; ')
    throw new AppError('NOT_FOUND', `${this.file} has no image named "${spec}" (images: ${names})`, { file: this.file, image: String(spec) })
  }

  async readImageTree(index: number): Promise<WimImageTree> {
    const blob = this.metadata[index - 1]
    if (!blob) throw new AppError('NOT_FOUND', `${this.file} has no image ${index}`, { file: this.file })
    if (blob.size > MAX_METADATA_BYTES) throw corrupt(this.file, 'metadata resource', null, `image ${index} metadata claims ${blob.size} bytes`)
    const bytes = await this.readBlob(blob)
    // Checked before parsing, as wimlib does: a damaged tree is refused, not half-read.
    if (sha1(bytes) !== blob.hash) throw corrupt(this.file, 'metadata resource', null, `image ${index} metadata fails its SHA-1 check`)
    return parseMetadata(bytes, `${this.file} (image ${index} metadata)`)
  }

  blob(hash: string): BlobEntry {
    const blob = this.blobs.get(hash)
    if (!blob) throw new AppError('CORRUPT', `${this.file}: blob ${hash} is referenced but not in the blob table`, { file: this.file, blob: hash })
    return blob
  }

  partOf(blob: BlobEntry): WimPart {
    const part = this.parts[blob.location.part - 1]
    if (!part) throw corrupt(this.file, 'blob table entry', null, `blob ${blob.hash} is in part ${blob.location.part}`)
    return part
  }

  /** Where a blob's bytes are: its chunk layout, and where the blob starts within it. */
  async locate(blob: BlobEntry): Promise<{ reader: RandomAccessReader; layout: ChunkLayout; start: number }> {
    const part = this.partOf(blob)
    const location = blob.location
    if (location.kind === 'resource') {
      const layout = await plainResourceLayout(part.reader, location.header, part.header.compression, part.header.chunkSize)
      return { reader: part.reader, layout, start: 0 }
    }
    let layout = this.solidLayouts.get(location.resource)
    if (!layout) {
      layout = solidResourceLayout(part.reader, location.resource)
      this.solidLayouts.set(location.resource, layout)
    }
    return { reader: part.reader, layout: await layout, start: location.offset }
  }

  async readBlob(blob: BlobEntry, offset = 0, length = blob.size - offset): Promise<Uint8Array> {
    const out = new Uint8Array(length)
    let at = 0
    for await (const piece of this.streamBlob(blob, offset, length)) {
      out.set(piece, at)
      at += piece.length
    }
    return out
  }

  async *streamBlob(blob: BlobEntry, offset = 0, length = blob.size - offset): AsyncGenerator<Uint8Array> {
    const { reader, layout, start } = await this.locate(blob)
    yield* streamResource(reader, layout, start + offset, length, blob.location.kind === 'solid' ? this.solidChunks : undefined)
  }

  async close(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.reader.close()))
  }

  get guid(): string {
    return toHex(this.header.guid)
  }
}
