import { AppError } from '../../../shared/errors'
import { UdfVolume } from '../udf/udf-volume'
import type { SourceTree } from '../source-tree'
import { SECTOR_BYTES } from './directory-record'
import { EMULATED_BYTES, parseBootCatalog, type CatalogEntry } from './el-torito'
import { ImageFile } from './image-file'
import { ImageTree, type FileSystemView, type ImageNode } from './image-tree'
import { Iso9660View } from './iso9660-view'
import { corrupt } from './structure-view'
import { FIRST_DESCRIPTOR_SECTOR, parseVolumeDescriptor, type BootRecord, type TreeDescriptor, type VolumeDescriptor } from './volume-descriptors'

/** The file systems an ISO image can be read through, best first. */
export type IsoKind = 'udf' | 'joliet' | 'iso9660'

export const ISO_KINDS: readonly IsoKind[] = ['udf', 'joliet', 'iso9660']

/** A boot image of the El Torito catalog, located in the image. */
export interface BootImage extends CatalogEntry {
  /** Byte offset of the image in the ISO file. */
  readonly imageOffset: number
  /** Bytes the firmware loads: sectorCount virtual 512-byte sectors. */
  readonly loadBytes: number
  /**
   * Bytes of the whole boot image: the emulated floppy's size, else the size of the file whose
   * content starts there (UEFI images are often recorded with a token sector count), else loadBytes.
   */
  readonly imageBytes: number
  /** The file in the tree whose content is the boot image (e.g. efi/microsoft/boot/efisys.bin), if any. */
  readonly path: string | null
}

export interface IsoImage extends SourceTree {
  readonly path: string
  /** The file system this tree reads. */
  readonly kind: IsoKind
  /** Every file system the image holds, best first. */
  readonly available: readonly IsoKind[]
  readonly volumeLabel: string
  /** The UDF revision, e.g. "1.02" (Windows media) or "2.50", when the image has UDF. */
  readonly udfRevision: string | null
  /** Whether the ISO 9660 tree read carries Rock Ridge names (only for kind 'iso9660'). */
  readonly rockRidge: boolean
  /** The El Torito boot images, empty when the image is not bootable. */
  bootCatalog(): Promise<BootImage[]>
}

export interface OpenIsoOptions {
  /** Read this file system instead of the best one (UDF, then Joliet, then ISO 9660). */
  filesystem?: IsoKind
}

/** Volume descriptors sit in sectors 16 up to the UDF anchor at 256 at the latest. */
const LAST_DESCRIPTOR_SECTOR = 255

/**
 * Opens an ISO image file and reads it through its best file system: UDF (the only complete
 * one on Windows media, whose install.wim can exceed ISO 9660's 4 GiB), then Joliet, then
 * ISO 9660. A damaged UDF side is an error rather than a silent fall back to a tree that may
 * lack files; ask for another file system explicitly to read past it.
 */
export async function openIso(path: string, options: OpenIsoOptions = {}): Promise<IsoImage> {
  const image = await ImageFile.open(path)
  try {
    return await readImage(image, options.filesystem)
  } catch (error) {
    await image.close()
    throw error
  }
}

async function readImage(image: ImageFile, wanted: IsoKind | undefined): Promise<IsoImage> {
  const descriptors = await readDescriptors(image)
  const trees = descriptors.filter((d): d is TreeDescriptor => d.kind === 'primary' || d.kind === 'joliet')
  const primary = trees.find((d) => d.kind === 'primary')
  const joliet = trees.find((d) => d.kind === 'joliet')
  const announcesUdf = descriptors.some((d) => d.kind === 'udf')
  if (primary && primary.volumeBlocks * SECTOR_BYTES > image.size) {
    // Checked first: a cut-short image reads fine at its start and fails somewhere in the middle of a long job.
    throw corrupt(
      { file: image.path, offset: FIRST_DESCRIPTOR_SECTOR * SECTOR_BYTES },
      'ISO 9660 primary volume descriptor',
      `the volume is ${primary.volumeBlocks * SECTOR_BYTES} bytes, but the file has only ${image.size}: the image is truncated (an interrupted download or copy?)`,
      80,
    )
  }
  const udf = wanted === undefined || wanted === 'udf' ? await UdfVolume.open(image, announcesUdf) : null
  const available = ISO_KINDS.filter((kind) => (kind === 'udf' ? udf !== null || announcesUdf : kind === 'joliet' ? joliet : primary))
  if (available.length === 0) throw new AppError('VALIDATION', `${image.path} is not an ISO image: it has no ISO 9660 or UDF volume`, { path: image.path })
  const kind = wanted ?? available[0]
  const missing = () => new AppError('NOT_FOUND', `${image.path} has no ${KIND_NAMES[kind]} file system (it has ${available.map((k) => KIND_NAMES[k]).join(', ')})`, { path: image.path, filesystem: kind })
  const catalogSector = descriptors.find((d): d is BootRecord => d.kind === 'boot-record')?.catalogSector ?? null
  if (kind === 'udf') {
    if (udf === null) throw missing()
    return new IsoImageTree(image, udf, { kind, available, volumeLabel: udf.label, udfRevision: udf.revision, rockRidge: false, catalogSector })
  }
  const tree = kind === 'joliet' ? joliet : primary
  if (tree === undefined) throw missing()
  const view = await Iso9660View.open(image, tree.root, kind)
  return new IsoImageTree(image, view, {
    kind,
    available,
    volumeLabel: tree.volumeIdentifier,
    udfRevision: udf?.revision ?? null,
    rockRidge: view.rockRidge,
    catalogSector,
  })
}

/** The volume recognition area: ISO 9660 descriptors up to the terminator, then UDF's BEA01/NSR/TEA01. */
async function readDescriptors(image: ImageFile): Promise<VolumeDescriptor[]> {
  const found: VolumeDescriptor[] = []
  for (let sector = FIRST_DESCRIPTOR_SECTOR; sector <= LAST_DESCRIPTOR_SECTOR && (sector + 1) * SECTOR_BYTES <= image.size; sector++) {
    const descriptor = parseVolumeDescriptor(await image.structure(sector * SECTOR_BYTES, SECTOR_BYTES, 'volume descriptor'))
    if (descriptor === null) break
    found.push(descriptor)
  }
  return found
}

interface ImageFacts {
  readonly kind: IsoKind
  readonly available: readonly IsoKind[]
  readonly volumeLabel: string
  readonly udfRevision: string | null
  readonly rockRidge: boolean
  readonly catalogSector: number | null
}

const KIND_NAMES: Record<IsoKind, string> = { udf: 'UDF', joliet: 'Joliet', iso9660: 'ISO 9660' }

class IsoImageTree extends ImageTree<ImageNode> implements IsoImage {
  readonly path: string
  readonly kind: IsoKind
  readonly available: readonly IsoKind[]
  readonly volumeLabel: string
  readonly udfRevision: string | null
  readonly rockRidge: boolean
  private readonly catalogSector: number | null
  private boot?: Promise<BootImage[]>

  constructor(image: ImageFile, view: FileSystemView<ImageNode>, facts: ImageFacts) {
    const detail = facts.kind === 'udf' ? `UDF ${facts.udfRevision}` : facts.rockRidge ? 'ISO 9660 with Rock Ridge' : KIND_NAMES[facts.kind]
    super(`ISO image ${image.path} (${detail})`, image, view)
    this.path = image.path
    this.kind = facts.kind
    this.available = facts.available
    this.volumeLabel = facts.volumeLabel
    this.udfRevision = facts.udfRevision
    this.rockRidge = facts.rockRidge
    this.catalogSector = facts.catalogSector
  }

  bootCatalog(): Promise<BootImage[]> {
    this.boot ??= this.readBootCatalog()
    return this.boot
  }

  private async readBootCatalog(): Promise<BootImage[]> {
    if (this.catalogSector === null) return []
    const catalog = await this.image.structure(this.catalogSector * SECTOR_BYTES, SECTOR_BYTES, 'El Torito boot catalog')
    const images: BootImage[] = []
    for (const entry of parseBootCatalog(catalog)) {
      const imageOffset = entry.loadRba * SECTOR_BYTES
      const file = await this.fileAt(imageOffset)
      const loadBytes = entry.sectorCount * 512
      images.push({ ...entry, imageOffset, loadBytes, imageBytes: EMULATED_BYTES[entry.emulation] ?? file?.size ?? loadBytes, path: file?.path ?? null })
    }
    return images
  }
}
