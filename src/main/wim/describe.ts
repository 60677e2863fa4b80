import { AppError } from '../../shared/errors'
import type { WimDirEntry, WimSummary } from '../../shared/wim'
import type { WimArchive } from './archive'
import { FileAttribute, HeaderFlag, WIM_VERSION_SOLID } from './constants'
import { filetimeToIso } from './filetime'
import { findDentry } from './apply/plan'
import type { WimDentry, WimImageTree } from './metadata/model'
import { isLinkTag, parseReparseLink } from './metadata/reparse'

const ATTRIBUTE_NAMES: Array<[number, string]> = [
  [FileAttribute.READONLY, 'ReadOnly'],
  [FileAttribute.HIDDEN, 'Hidden'],
  [FileAttribute.SYSTEM, 'System'],
  [FileAttribute.DIRECTORY, 'Directory'],
  [FileAttribute.ARCHIVE, 'Archive'],
  [FileAttribute.SPARSE_FILE, 'Sparse'],
  [FileAttribute.REPARSE_POINT, 'ReparsePoint'],
  [FileAttribute.COMPRESSED, 'Compressed'],
  [FileAttribute.OFFLINE, 'Offline'],
  [FileAttribute.NOT_CONTENT_INDEXED, 'NotContentIndexed'],
  [FileAttribute.ENCRYPTED, 'Encrypted'],
]

export function summarize(archive: WimArchive): WimSummary {
  const header = archive.header
  return {
    path: archive.file,
    parts: archive.parts.map((p) => p.reader.name),
    sizeBytes: archive.parts.reduce((n, p) => n + p.reader.size, 0),
    guid: archive.guid,
    version: header.version,
    compression: header.compression,
    chunkSize: header.chunkSize,
    solid: header.version === WIM_VERSION_SOLID,
    partNumber: header.partNumber,
    totalParts: header.totalParts,
    imageCount: header.imageCount,
    bootIndex: header.bootIndex,
    hasIntegrityTable: header.integrity.sizeInWim > 0,
    readOnly: (header.flags & HeaderFlag.READONLY) !== 0,
    images: archive.images,
    warnings: archive.warnings,
  }
}

function kindOf(dentry: WimDentry): WimDirEntry['kind'] {
  if (dentry.inode.attributes & FileAttribute.REPARSE_POINT) return isLinkTag(dentry.inode.reparseTag) ? 'symlink' : 'reparse-point'
  return dentry.children ? 'directory' : 'file'
}

async function entryOf(archive: WimArchive, dentry: WimDentry, path: string): Promise<WimDirEntry> {
  const inode = dentry.inode
  const data = inode.streams.find((s) => s.kind === 'data' && s.name === '')
  const reparse = inode.streams.find((s) => s.kind === 'reparse')
  const kind = kindOf(dentry)
  let linkTarget: string | null = null
  if (kind === 'symlink' && reparse?.hash) {
    linkTarget = parseReparseLink(inode.reparseTag, await archive.readBlob(archive.blob(reparse.hash)))?.printName ?? null
  }
  return {
    path,
    name: dentry.name,
    kind,
    size: data?.hash ? archive.blob(data.hash).size : 0,
    attributes: inode.attributes,
    attributeNames: ATTRIBUTE_NAMES.filter(([bit]) => inode.attributes & bit).map(([, name]) => name),
    lastWriteTime: filetimeToIso(inode.lastWriteTime),
    creationTime: filetimeToIso(inode.creationTime),
    linkCount: inode.linkCount,
    namedStreams: inode.streams.filter((s) => s.name).map((s) => s.name),
    shortName: dentry.shortName,
    hash: data?.hash ?? null,
    linkTarget,
  }
}

/**
 * The entries of an image folder (its children), or everything below it when recursive,
 * in the order the image stores them. Paths use backslashes like Windows does.
 */
export async function listImagePath(archive: WimArchive, tree: WimImageTree, path: string, recursive: boolean, limit: number): Promise<WimDirEntry[]> {
  const start = findDentry(tree.root, path)
  if (!start) throw new AppError('NOT_FOUND', `The image has no path ${path}`, { path })
  const base = path.split(/[\\/]+/).filter(Boolean).join('\\')
  const out: WimDirEntry[] = []
  if (!start.children) return [await entryOf(archive, start, `\\${base}`)]
  const stack: Array<{ dentry: WimDentry; path: string }> = [...start.children].reverse().map((c) => ({ dentry: c, path: `${base ? `\\${base}` : ''}\\${c.name}` }))
  while (stack.length > 0 && out.length < limit) {
    const { dentry, path: p } = stack.pop()!
    out.push(await entryOf(archive, dentry, p))
    if (recursive && dentry.children && !(dentry.inode.attributes & FileAttribute.REPARSE_POINT)) {
      for (let i = dentry.children.length - 1; i >= 0; i--) stack.push({ dentry: dentry.children[i]!, path: `${p}\\${dentry.children[i]!.name}` })
    }
  }
  return out
}
