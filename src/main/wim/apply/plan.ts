import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { UnrestoredMetadata } from '../../../shared/wim'
import { unsafeNameReason } from '../../io/names'
import { FileAttribute } from '../constants'
import type { WimDentry, WimImageTree, WimInode } from '../metadata/model'
import { isLinkTag, parseReparseLink, posixLinkTarget } from '../metadata/reparse'

/** wimlib's rp_flags bit for links it left as they were at capture time. */
const RP_FLAG_NOT_FIXED = 0x0001

export interface PlannedEntry {
  /** Where it goes on the host. */
  path: string
  /** Where it is in the image, with backslashes, for messages. */
  wimPath: string
  inode: WimInode
}

export interface PlannedFile extends PlannedEntry {
  /** For a second (third, ...) name of a file: the path of its first name. */
  linkTo: string | null
}

export interface PlannedSymlink extends PlannedEntry {
  target: string
}

export interface ApplyPlan {
  root: string
  directories: PlannedEntry[]
  files: PlannedFile[]
  symlinks: PlannedSymlink[]
  /** Each blob to write, with the first path of every file that holds it. */
  blobs: Map<string, { size: number; targets: string[] }>
  skipped: Array<{ wimPath: string; reason: string }>
  unrestored: UnrestoredMetadata
  /** Bytes of data to decompress (each blob once). */
  dataBytes: number
}

export interface PlanOptions {
  /** Host folder the image (or the selected paths) go into. */
  root: string
  /** Extract only these image paths ('/Windows/System32', '\\boot'); each lands directly in root. */
  paths?: string[]
  /** The WIM's RP_FIX flag: absolute links were made relative to the image root at capture. */
  rpfix: boolean
  readReparseData: (hash: string) => Promise<Uint8Array>
  /** Size of a blob of the image; throws for a blob the WIM does not contain. */
  blobSize: (hash: string) => number
  platform?: NodeJS.Platform
}

const REPORTED_ATTRIBUTES: Array<[string, number]> = [
  ['hidden', FileAttribute.HIDDEN],
  ['system', FileAttribute.SYSTEM],
  ['read-only', FileAttribute.READONLY],
  ['compressed', FileAttribute.COMPRESSED],
  ['offline', FileAttribute.OFFLINE],
  ['not content indexed', FileAttribute.NOT_CONTENT_INDEXED],
]

/** Finds an image path, case-insensitively when no exact match exists. */
export function findDentry(root: WimDentry, path: string): WimDentry | null {
  let current = root
  for (const part of path.split(/[\\/]+/).filter(Boolean)) {
    const children = current.children
    if (!children) return null
    const next = children.find((c) => c.name === part) ?? children.find((c) => c.name.toLowerCase() === part.toLowerCase())
    if (!next) return null
    current = next
  }
  return current
}

/**
 * Decides, before anything is written, what goes where: every directory, file, hard link
 * and symbolic link, the blobs to write and to which files, and what is skipped (names that
 * would escape the target or that this host cannot hold, links it cannot represent) with the
 * reason. Names are checked here, so nothing later can write outside `root`.
 */
export async function planApply(tree: WimImageTree, options: PlanOptions): Promise<ApplyPlan> {
  const plan: ApplyPlan = {
    root: options.root,
    directories: [],
    files: [],
    symlinks: [],
    blobs: new Map(),
    skipped: [],
    unrestored: { securityDescriptors: 0, namedStreams: 0, shortNames: 0, attributes: {}, otherReparsePoints: 0, encryptedFiles: 0 },
    dataBytes: 0,
  }
  const platform = options.platform ?? process.platform
  const firstNames = new Map<WimInode, string>()

  const starts: Array<{ dentry: WimDentry; path: string; wimPath: string; contentsOnly: boolean }> = []
  if (options.paths && options.paths.length > 0) {
    for (const wanted of options.paths) {
      const dentry = findDentry(tree.root, wanted)
      if (!dentry) throw new AppError('NOT_FOUND', `The image has no path ${wanted}`, { path: wanted })
      const isRoot = dentry === tree.root
      starts.push({ dentry, path: isRoot ? options.root : join(options.root, dentry.name), wimPath: isRoot ? '' : wanted.replaceAll('/', '\\'), contentsOnly: isRoot })
    }
  } else {
    starts.push({ dentry: tree.root, path: options.root, wimPath: '', contentsOnly: true })
  }

  const note = (inode: WimInode, dentry: WimDentry): void => {
    if (dentry.shortName) plan.unrestored.shortNames++
    if (firstNames.has(inode)) return
    if (inode.securityId >= 0) plan.unrestored.securityDescriptors++
    plan.unrestored.namedStreams += inode.streams.filter((s) => s.name).length
    for (const [label, bit] of REPORTED_ATTRIBUTES) {
      if (inode.attributes & bit) plan.unrestored.attributes[label] = (plan.unrestored.attributes[label] ?? 0) + 1
    }
  }

  const stack = [...starts].reverse()
  while (stack.length > 0) {
    const { dentry, path, wimPath, contentsOnly } = stack.pop()!
    const inode = dentry.inode
    const shown = wimPath || '\\'
    if (!contentsOnly) {
      const reason = unsafeNameReason(dentry.name, platform)
      if (reason) {
        plan.skipped.push({ wimPath: shown, reason })
        continue
      }
      note(inode, dentry)
    }
    if (inode.attributes & FileAttribute.ENCRYPTED) {
      plan.unrestored.encryptedFiles++
      plan.skipped.push({ wimPath: shown, reason: 'it is an EFS-encrypted file, which only Windows can restore' })
      continue
    }
    if (inode.attributes & FileAttribute.REPARSE_POINT && !contentsOnly) {
      const target = await linkTargetOf(inode, options)
      if ('reason' in target) {
        if (!isLinkTag(inode.reparseTag)) plan.unrestored.otherReparsePoints++
        plan.skipped.push({ wimPath: shown, reason: target.reason })
      } else {
        plan.symlinks.push({ path, wimPath: shown, inode, target: target.target })
      }
      // Never create anything beneath a link: it could lead outside the target.
      if (dentry.children?.length) plan.skipped.push({ wimPath: shown, reason: 'its children lie beneath a link and are not extracted' })
      continue
    }
    if (dentry.children) {
      if (!contentsOnly) plan.directories.push({ path, wimPath: shown, inode })
      for (let i = dentry.children.length - 1; i >= 0; i--) {
        const child = dentry.children[i]!
        stack.push({ dentry: child, path: join(path, child.name), wimPath: `${wimPath}\\${child.name}`, contentsOnly: false })
      }
      continue
    }
    const first = firstNames.get(inode)
    plan.files.push({ path, wimPath: shown, inode, linkTo: first ?? null })
    if (first) continue
    firstNames.set(inode, path)
    const data = inode.streams.find((s) => s.kind === 'data' && s.name === '')
    if (data?.hash) {
      const existing = plan.blobs.get(data.hash)
      if (existing) existing.targets.push(path)
      else {
        const size = options.blobSize(data.hash)
        plan.blobs.set(data.hash, { size, targets: [path] })
        plan.dataBytes += size
      }
    }
  }
  return plan
}

async function linkTargetOf(inode: WimInode, options: PlanOptions): Promise<{ target: string } | { reason: string }> {
  if (!isLinkTag(inode.reparseTag)) {
    return { reason: `it is a reparse point of type 0x${inode.reparseTag.toString(16)}, which has no equivalent here` }
  }
  const hash = inode.streams.find((s) => s.kind === 'reparse')?.hash
  if (!hash) return { reason: 'its link has no reparse data' }
  const link = parseReparseLink(inode.reparseTag, await options.readReparseData(hash))
  if (!link) return { reason: 'its reparse data is malformed' }
  const target = posixLinkTarget(link)
  if (target.kind === 'unusable') return { reason: `its link cannot be made here: ${target.reason}` }
  if (target.kind === 'absolute' && options.rpfix && !(inode.reparseFlags & RP_FLAG_NOT_FIXED)) {
    return { target: join(options.root, target.target) }
  }
  return { target: target.target }
}
