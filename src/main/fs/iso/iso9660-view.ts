import type { SourceFile } from '../source-tree'
import { directoryRecords, parseDirectoryRecord, RecordFlag, SECTOR_BYTES, type DirectoryRecord } from './directory-record'
import { extentFile } from './extent-file'
import type { ImageFile } from './image-file'
import type { FileSystemView, ImageNode } from './image-tree'
import { RockRidgeFields, suspSkipLength } from './rock-ridge'
import { corrupt, unsupported, type StructureView } from './structure-view'
import { decodeUcs2 } from './volume-descriptors'

/** How names are recorded: d-characters (primary tree) or UCS-2 (Joliet supplementary tree). */
export type NameEncoding = 'iso9660' | 'joliet'

export interface IsoNode extends ImageNode {
  /** The file's sections in order: one record, or several for a multi-extent file. */
  readonly sections: readonly DirectoryRecord[]
}

const STRUCTURE = 'ISO 9660 directory record'
const MAX_CONTINUATIONS = 32

/** The primary or Joliet directory tree of an ISO 9660 volume, with Rock Ridge names where present. */
export class Iso9660View implements FileSystemView<IsoNode> {
  private constructor(
    private readonly image: ImageFile,
    private readonly encoding: NameEncoding,
    /** Bytes to skip in each System Use area when the tree carries SUSP/Rock Ridge, else null. */
    private readonly suspSkip: number | null,
    readonly root: IsoNode,
  ) {}

  static async open(image: ImageFile, rootRecord: DirectoryRecord, encoding: NameEncoding): Promise<Iso9660View> {
    const root: IsoNode = nodeOf([rootRecord], '', true)
    const dot = encoding === 'iso9660' ? await firstRecord(image, rootRecord.extent, rootRecord.view) : null
    return new Iso9660View(image, encoding, dot && suspSkipLength(dot.systemUse), root)
  }

  get rockRidge(): boolean {
    return this.suspSkip !== null
  }

  async children(directory: IsoNode): Promise<readonly IsoNode[]> {
    const [record] = directory.sections
    const data = await this.image.structure(record.extent * SECTOR_BYTES, record.dataLength, 'ISO 9660 directory')
    const nodes: IsoNode[] = []
    let sections: DirectoryRecord[] = []
    for (const view of directoryRecords(data)) {
      const section = parseDirectoryRecord(view)
      if (isDotEntry(section) || section.flags & RecordFlag.Associated) continue
      if (sections.length > 0 && !sameBytes(sections[0].identifier, section.identifier)) {
        view.fail('a multi-extent file is followed by a different name before its final section')
      }
      sections.push(section)
      if (section.flags & RecordFlag.MultiExtent) continue
      const node = await this.node(sections)
      if (node !== null) nodes.push(node)
      sections = []
    }
    if (sections.length > 0) sections[0].view.fail('a multi-extent file has no final section')
    return nodes
  }

  async open(file: IsoNode): Promise<SourceFile> {
    const extents = file.sections
      .filter((section) => section.dataLength > 0)
      .map((section) => ({ kind: 'image' as const, offset: section.extent * SECTOR_BYTES, length: section.dataLength }))
    return extentFile(this.image, extents, file.size, file.origin, STRUCTURE)
  }

  dataOffset(file: IsoNode): number | null {
    return file.sections[0].extent * SECTOR_BYTES
  }

  /** The node for one file's sections, or null for what Rock Ridge marks as not to be listed. */
  private async node(sections: DirectoryRecord[]): Promise<IsoNode | null> {
    const first = sections[0]
    if (first.interleaved) throw unsupported(first.view.origin, STRUCTURE, 'interleaved recording')
    let name = this.decodeName(first)
    let isDirectory = (first.flags & RecordFlag.Directory) !== 0
    if (isDirectory && sections.length > 1) first.view.fail('a directory is recorded in several extents')
    if (this.suspSkip !== null) {
      const rockRidge = await this.readRockRidge(first, this.suspSkip)
      if (rockRidge.relocated || rockRidge.isSpecial) return null
      name = rockRidge.name ?? name
      if (rockRidge.childLink !== null) {
        // A relocated directory: the record here stands for the directory at the linked sector.
        sections = [await firstRecord(this.image, rockRidge.childLink, first.view)]
        isDirectory = true
      }
    }
    return nodeOf(sections, name, isDirectory)
  }

  private decodeName(record: DirectoryRecord): string {
    const { identifier } = record
    if (this.encoding === 'joliet') {
      if (identifier.length % 2 !== 0) record.view.fail(`a Joliet name of ${identifier.length} bytes is not whole UCS-2 characters`, 33)
      return decodeUcs2(identifier).replace(/;\d*$/, '')
    }
    // "NAME.;1" is how ISO 9660 records a name without extension; both marks go.
    return String.fromCharCode(...identifier).replace(/;\d*$/, '').replace(/\.$/, '')
  }

  private async readRockRidge(record: DirectoryRecord, skip: number): Promise<RockRidgeFields> {
    const fields = new RockRidgeFields()
    const use = record.systemUse
    let area: StructureView = use.sub(Math.min(skip, use.length), Math.max(0, use.length - skip), 'Rock Ridge entries')
    for (let hops = 0; ; hops++) {
      const next = fields.read(area)
      if (next === null) return fields
      if (hops >= MAX_CONTINUATIONS) area.fail(`continuation areas go on past ${MAX_CONTINUATIONS}`)
      if (next.offset + next.length > SECTOR_BYTES) area.fail(`a continuation area of ${next.length} bytes at +${next.offset} leaves its sector`)
      area = await this.image.structure(next.sector * SECTOR_BYTES + next.offset, next.length, 'Rock Ridge continuation area')
    }
  }
}

function nodeOf(sections: readonly DirectoryRecord[], name: string, isDirectory: boolean): IsoNode {
  const first = sections[0]
  return {
    name,
    isDirectory,
    size: sections.reduce((total, section) => total + section.dataLength, 0),
    modified: first.recorded,
    origin: first.view.origin,
    structure: STRUCTURE,
    location: `${first.extent}`,
    sections,
  }
}

/** The "." record that starts the directory at `sector`: its own extent and length. */
async function firstRecord(image: ImageFile, sector: number, from: StructureView): Promise<DirectoryRecord> {
  if ((sector + 1) * SECTOR_BYTES > image.size) throw corrupt(from.origin, STRUCTURE, `points at sector ${sector}, past the end of the image`)
  const data = await image.structure(sector * SECTOR_BYTES, SECTOR_BYTES, 'ISO 9660 directory')
  const first = directoryRecords(data).next()
  if (first.done) return data.fail('the directory is empty')
  const record = parseDirectoryRecord(first.value)
  if (!isDotEntry(record) || record.identifier[0] !== 0) data.fail('the directory does not start with its "." record')
  return record
}

function isDotEntry(record: DirectoryRecord): boolean {
  return record.identifier.length === 1 && record.identifier[0] <= 1
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
