import { msToFiletime } from '../filetime'
import type { WimDentry, WimImageTree, WimInode } from '../metadata/model'
import { attribute, setChildText, type XmlElement } from './xml-dom'

export interface ImageStats {
  dirCount: number
  fileCount: number
  totalBytes: number
  hardLinkBytes: number
}

/**
 * The counts the XML records for an image, computed as wimlib does: every directory
 * (the root included), every other name (links included), the bytes of every name's
 * streams, and of those the bytes of second and later names of a file.
 */
export function imageStats(tree: WimImageTree, blobSize: (hash: string) => number): ImageStats {
  const stats: ImageStats = { dirCount: 0, fileCount: 0, totalBytes: 0, hardLinkBytes: 0 }
  const seen = new Set<WimInode>()
  const stack: WimDentry[] = [tree.root]
  while (stack.length > 0) {
    const dentry = stack.pop()!
    const inode = dentry.inode
    if (dentry.children) stats.dirCount++
    else stats.fileCount++
    let bytes = 0
    for (const stream of inode.streams) if (stream.hash) bytes += blobSize(stream.hash)
    stats.totalBytes += bytes
    if (seen.has(inode)) stats.hardLinkBytes += bytes
    seen.add(inode)
    if (dentry.children) stack.push(...dentry.children)
  }
  return stats
}

function timeElement(name: string, ms: number): XmlElement {
  const filetime = msToFiletime(ms)
  const hex = (n: bigint): string => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`
  return {
    name,
    attributes: [],
    children: [
      { name: 'HIGHPART', attributes: [], children: [hex(filetime >> 32n)] },
      { name: 'LOWPART', attributes: [], children: [hex(filetime & 0xffffffffn)] },
    ],
  }
}

export interface NewImageInfo {
  name: string
  description?: string
  displayName?: string
  displayDescription?: string
  flags?: string
}

/** A fresh <IMAGE> element, in the field order wimlib and DISM write. */
export function newImageElement(index: number, info: NewImageInfo, stats: ImageStats, now = Date.now()): XmlElement {
  const element: XmlElement = { name: 'IMAGE', attributes: [['INDEX', String(index)]], children: [] }
  setChildText(element, 'DIRCOUNT', String(stats.dirCount))
  setChildText(element, 'FILECOUNT', String(stats.fileCount))
  setChildText(element, 'TOTALBYTES', String(stats.totalBytes))
  setChildText(element, 'HARDLINKBYTES', String(stats.hardLinkBytes))
  element.children.push(timeElement('CREATIONTIME', now), timeElement('LASTMODIFICATIONTIME', now))
  setChildText(element, 'NAME', info.name)
  if (info.description) setChildText(element, 'DESCRIPTION', info.description)
  if (info.displayName) setChildText(element, 'DISPLAYNAME', info.displayName)
  if (info.displayDescription) setChildText(element, 'DISPLAYDESCRIPTION', info.displayDescription)
  if (info.flags) setChildText(element, 'FLAGS', info.flags)
  return element
}

/** Updates the counts and modification time of an existing <IMAGE> (after an update). */
export function refreshImageElement(element: XmlElement, stats: ImageStats, now = Date.now()): void {
  for (const [key, value] of [['DIRCOUNT', stats.dirCount], ['FILECOUNT', stats.fileCount], ['TOTALBYTES', stats.totalBytes], ['HARDLINKBYTES', stats.hardLinkBytes]] as const) {
    setChildText(element, key, String(value))
  }
  const index = element.children.findIndex((c) => typeof c !== 'string' && c.name === 'LASTMODIFICATIONTIME')
  if (index >= 0) element.children[index] = timeElement('LASTMODIFICATIONTIME', now)
  else element.children.push(timeElement('LASTMODIFICATIONTIME', now))
}

/** A copy of an <IMAGE> element renumbered for another WIM (export). */
export function renumberedImage(element: XmlElement, index: number): XmlElement {
  const copy = structuredClone(element)
  copy.attributes = copy.attributes.map(([k, v]) => (k === 'INDEX' ? [k, String(index)] : [k, v]))
  if (!attribute(copy, 'INDEX')) copy.attributes.push(['INDEX', String(index)])
  return copy
}
