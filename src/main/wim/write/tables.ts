import { resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import { WimArchive } from '../archive'
import { HeaderFlag } from '../constants'
import { imageElements } from '../xml/wim-info'
import { renumberedImage } from '../xml/image-xml'
import { setChildText, type XmlElement } from '../xml/xml-dom'
import { storedFromArchive } from './stored-blob'
import { countReferences, WimWriter, writerSettings } from './wim-writer'

export interface ImageProperties {
  name?: string
  description?: string
  displayName?: string
  displayDescription?: string
  flags?: string
}

/** What a table rewrite changes: the images that remain (old indexes, in order) and the XML. */
interface TableEdit {
  keep: number[]
  bootIndex: number
  edit?: (images: XmlElement[]) => void
}

/**
 * Rewrites only the tables of a WIM: its images' data stays where it is, new tables go
 * after the current end of the file and the header last, so an interruption leaves the WIM
 * as it was. Space a deleted image alone used stays in the file until it is optimized.
 */
async function rewriteTables(path: string, pool: WorkerPool, ctx: OperationContext, plan: (archive: WimArchive) => Promise<TableEdit>): Promise<void> {
  const file = resolve(path)
  const archive = await WimArchive.open(file)
  try {
    if (archive.parts.length > 1) throw new AppError('UNSUPPORTED', `${file} is a split WIM: join it first`, { file })
    const edit = await plan(archive)
    const refs = new Map<string, number>()
    for (const blob of archive.blobs.values()) refs.set(blob.hash, blob.refCount)
    for (let index = 1; index <= archive.images.length; index++) {
      if (edit.keep.includes(index)) continue
      // A removed image no longer holds its references.
      const removed = new Map<string, number>()
      countReferences(await archive.readImageTree(index), removed)
      for (const [hash, n] of removed) refs.set(hash, (refs.get(hash) ?? 0) - n)
    }
    const elements = imageElements(archive.info.root)
    const kept = edit.keep.map((index, i) => renumberedImage(elements[index - 1]!, i + 1))
    edit.edit?.(kept)
    const xml: XmlElement = structuredClone(archive.info.root)
    xml.children = [...xml.children.filter((c) => typeof c === 'string' || c.name !== 'IMAGE'), ...kept]
    const header = archive.header
    const writer = await WimWriter.append(
      file,
      archive.parts[0]!.reader.size,
      // Only tables and XML are written: too little to count as the job's progress.
      writerSettings({ compression: header.compression, chunkSize: header.chunkSize, solid: false }, pool, { signal: ctx.signal, advance: () => undefined }),
      [...archive.blobs.values()].map(storedFromArchive),
    )
    try {
      await writer.commit({
        images: edit.keep.map((index) => ({ metadata: storedFromArchive(archive.metadata[index - 1]!) })),
        xml,
        baseRefs: refs,
        bootIndex: edit.bootIndex,
        integrity: header.integrity.sizeInWim > 0,
        guid: header.guid,
        extraFlags: header.flags & HeaderFlag.RP_FIX,
      })
    } catch (error) {
      await writer.abort()
      throw error
    }
  } finally {
    await archive.close()
  }
}

export function deleteImage(path: string, image: number | string, pool: WorkerPool, ctx: OperationContext): Promise<void> {
  return rewriteTables(path, pool, ctx, async (archive) => {
    const index = archive.resolveImage(image)
    const boot = archive.header.bootIndex
    ctx.log('info', `Deleting image ${index} (${archive.images[index - 1]?.name ?? 'unnamed'})`)
    return {
      keep: archive.images.map((i) => i.index).filter((i) => i !== index),
      bootIndex: boot === index ? 0 : boot > index ? boot - 1 : boot,
    }
  })
}

export function setImageProperties(path: string, image: number | string, properties: ImageProperties, pool: WorkerPool, ctx: OperationContext): Promise<void> {
  return rewriteTables(path, pool, ctx, async (archive) => {
    const index = archive.resolveImage(image)
    if (properties.name !== undefined) {
      const clash = archive.images.find((i) => i.index !== index && i.name?.toLowerCase() === properties.name!.toLowerCase())
      if (clash) throw new AppError('CONFLICT', `Image ${clash.index} is already named "${properties.name}"`, { name: properties.name })
    }
    const all = archive.images.map((i) => i.index)
    return {
      keep: all,
      bootIndex: archive.header.bootIndex,
      edit: (images) => {
        const element = images[index - 1]!
        const fields: Array<[keyof ImageProperties, string]> = [
          ['name', 'NAME'],
          ['description', 'DESCRIPTION'],
          ['displayName', 'DISPLAYNAME'],
          ['displayDescription', 'DISPLAYDESCRIPTION'],
          ['flags', 'FLAGS'],
        ]
        for (const [key, tag] of fields) {
          const value = properties[key]
          if (value !== undefined) setChildText(element, tag, value === '' ? undefined : value)
        }
      },
    }
  })
}

export function setBootIndex(path: string, image: number | string | 0, pool: WorkerPool, ctx: OperationContext): Promise<void> {
  return rewriteTables(path, pool, ctx, async (archive) => ({
    keep: archive.images.map((i) => i.index),
    bootIndex: image === 0 ? 0 : archive.resolveImage(image),
  }))
}
