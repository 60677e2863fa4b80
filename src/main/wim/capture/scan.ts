import { lstat, readdir, readlink, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { AppError } from '../../../shared/errors'
import { compareNames } from '../../io/names'
import { FileAttribute, ReparseTag } from '../constants'
import { nsToFiletime } from '../filetime'
import type { WimDentry, WimImageTree, WimInode } from '../metadata/model'
import { symlinkReparseData } from '../metadata/reparse'
import { sha1 } from '../sha1'
import type { CaptureFilter } from './exclusions'

/** wimlib's rp_flags bit: an absolute link left as it was (it points outside the capture). */
const RP_FLAG_NOT_FIXED = 0x0001

/** A file whose contents still have to be read and stored. */
export interface PendingData {
  inode: WimInode
  path: string
  size: number
  /** Matched [CompressionExclusionList]: stored without compression. */
  storeRaw: boolean
}

export interface ScannedTree {
  tree: WimImageTree
  /** Regular files with contents, one per file (not per hard link). */
  files: PendingData[]
  /** Reparse data of captured links, by SHA-1. */
  reparseData: Map<string, Uint8Array>
  excluded: string[]
  skipped: Array<{ path: string; reason: string }>
}

interface StatLike {
  dev: bigint
  ino: bigint
  size: bigint
  nlink: bigint
  atimeNs: bigint
  mtimeNs: bigint
  isDirectory(): boolean
  isFile(): boolean
  isSymbolicLink(): boolean
}

function inodeFrom(st: StatLike, attributes: number): WimInode {
  const lastWriteTime = nsToFiletime(st.mtimeNs)
  return {
    attributes,
    securityId: -1,
    // POSIX has no reliable creation time; wimlib records the modification time there.
    creationTime: lastWriteTime,
    lastAccessTime: nsToFiletime(st.atimeNs),
    lastWriteTime,
    reparseTag: 0,
    reparseReserved: 0,
    reparseFlags: 0,
    streams: [],
    unknown0x54: 0,
    extra: null,
    linkCount: 1,
    linkGroupId: 0n,
  }
}

/**
 * Walks a folder into an image tree, the way wimlib captures on Linux: folders, files
 * (names of one file become hard links, keyed by device and inode), symbolic links as
 * reparse points (an absolute link into the captured folder is made relative to the image
 * root and the image marked RP_FIX, one outside is left as it is), names sorted as NTFS
 * does. Excluded paths are left out; sockets, pipes and devices are skipped with a reason.
 */
export async function scanTree(source: string, filter: CaptureFilter, signal: AbortSignal): Promise<ScannedTree> {
  const root = resolve(source)
  const rootStat = (await stat(root, { bigint: true }).catch((error: Error) => {
    throw new AppError('NOT_FOUND', `Cannot capture ${root}: ${error.message}`, { path: root })
  })) as StatLike
  if (!rootStat.isDirectory()) throw new AppError('VALIDATION', `${root} is not a folder`, { path: root })

  const result: ScannedTree = {
    tree: { root: { name: '', shortName: '', inode: inodeFrom(rootStat, FileAttribute.DIRECTORY), children: [] }, securityDescriptors: [], warnings: [] },
    files: [],
    reparseData: new Map(),
    excluded: [],
    skipped: [],
  }
  const byInode = new Map<string, WimInode>()
  const pending: Array<{ dir: WimDentry; path: string; wimPath: string }> = [{ dir: result.tree.root, path: root, wimPath: '' }]

  while (pending.length > 0) {
    signal.throwIfAborted()
    const { dir, path, wimPath } = pending.pop()!
    let names: string[]
    try {
      names = await readdir(path)
    } catch (error) {
      throw new AppError('IO', `Cannot read the folder ${path}: ${(error as Error).message}`, { path })
    }
    names.sort(compareNames)
    const subdirs: Array<{ dir: WimDentry; path: string; wimPath: string }> = []
    for (const name of names) {
      const childPath = join(path, name)
      const childWimPath = `${wimPath}\\${name}`
      if (filter.isExcluded(childWimPath, name)) {
        result.excluded.push(childWimPath)
        continue
      }
      let st: StatLike
      try {
        st = (await lstat(childPath, { bigint: true })) as StatLike
      } catch (error) {
        throw new AppError('IO', `Cannot read ${childPath}: ${(error as Error).message}`, { path: childPath })
      }
      let inode: WimInode
      let children: WimDentry[] | null = null
      if (st.isDirectory()) {
        inode = inodeFrom(st, FileAttribute.DIRECTORY)
        children = []
      } else if (st.isFile()) {
        const key = `${st.dev}:${st.ino}`
        const known = st.nlink > 1n ? byInode.get(key) : undefined
        if (known) {
          known.linkCount++
          dir.children!.push({ name, shortName: '', inode: known, children: null })
          continue
        }
        inode = inodeFrom(st, FileAttribute.NORMAL)
        if (st.nlink > 1n) {
          inode.linkGroupId = st.ino
          byInode.set(key, inode)
        }
        if (st.size > 0n) result.files.push({ inode, path: childPath, size: Number(st.size), storeRaw: filter.isStoredUncompressed(childWimPath, name) })
      } else if (st.isSymbolicLink()) {
        inode = await linkInode(st, childPath, root, result)
      } else {
        result.skipped.push({ path: childWimPath, reason: 'it is a socket, pipe or device, which a WIM cannot hold' })
        continue
      }
      const dentry: WimDentry = { name, shortName: '', inode, children }
      dir.children!.push(dentry)
      if (children) subdirs.push({ dir: dentry, path: childPath, wimPath: childWimPath })
    }
    // Depth-first in name order, so file data is stored in the order Windows lists it.
    for (let i = subdirs.length - 1; i >= 0; i--) pending.push(subdirs[i]!)
  }
  return result
}

/**
 * Scans what an update adds: a folder (its tree) or a single file or link, given the name
 * it gets in the image. The result's root is that entry.
 */
export async function scanSource(source: string, name: string, filter: CaptureFilter, signal: AbortSignal): Promise<ScannedTree> {
  const path = resolve(source)
  const st = (await lstat(path, { bigint: true }).catch((error: Error) => {
    throw new AppError('NOT_FOUND', `Cannot add ${path}: ${error.message}`, { path })
  })) as StatLike
  if (st.isDirectory()) {
    const scanned = await scanTree(path, filter, signal)
    scanned.tree.root.name = name
    return scanned
  }
  const result: ScannedTree = { tree: { root: { name, shortName: '', inode: inodeFrom(st, FileAttribute.NORMAL), children: null }, securityDescriptors: [], warnings: [] }, files: [], reparseData: new Map(), excluded: [], skipped: [] }
  if (st.isSymbolicLink()) result.tree.root.inode = await linkInode(st, path, path, result)
  else if (st.isFile()) {
    if (st.size > 0n) result.files.push({ inode: result.tree.root.inode, path, size: Number(st.size), storeRaw: false })
  } else throw new AppError('VALIDATION', `${path} is a socket, pipe or device, which a WIM cannot hold`, { path })
  return result
}

async function linkInode(st: StatLike, path: string, root: string, result: ScannedTree): Promise<WimInode> {
  let target = await readlink(path)
  let flags = 0
  if (target.startsWith('/')) {
    // Into the captured folder: made relative to the image root, so it follows the image.
    const inside = relative(root, target)
    if (!inside.startsWith('..') && !isAbsolute(inside)) target = `/${inside.split(sep).join('/')}`
    else flags = RP_FLAG_NOT_FIXED
  }
  const pointsToFolder = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  )
  const inode = inodeFrom(st, FileAttribute.REPARSE_POINT | (pointsToFolder ? FileAttribute.DIRECTORY : 0))
  inode.reparseTag = ReparseTag.SYMLINK
  inode.reparseFlags = flags
  const data = symlinkReparseData(target)
  const hash = sha1(data)
  result.reparseData.set(hash, data)
  inode.streams = [{ name: '', kind: 'reparse', hash }]
  return inode
}
