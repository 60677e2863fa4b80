import { encodeUtf16le } from '../../io/utf16'
import { FileAttribute } from '../constants'
import { fromHex } from '../sha1'
import { DENTRY_FIXED_SIZE, STREAM_ENTRY_FIXED_SIZE } from './dentry-reader'
import type { WimDentry, WimImageTree, WimInode } from './model'
import { serializeSecurityData } from './security'

function align8(n: number): number {
  return Math.ceil(n / 8) * 8
}

interface StreamEntries {
  mainHash: string | null
  /** Extra stream entries, in order: unnamed ones first, then named. */
  extra: Array<{ name: string; hash: string | null }>
}

/**
 * How the streams are written, following DISM: the reparse stream (with the reparse
 * attribute) and the unnamed data stream (for non-directories) are the unnamed streams, the
 * reparse one first. One unnamed stream and no named ones: its hash goes in the dentry.
 * Otherwise every stream goes in an extra entry and the dentry's hash stays zero.
 */
export function streamEntries(inode: WimInode): StreamEntries {
  const reparse = inode.streams.find((s) => s.kind === 'reparse')?.hash ?? null
  const data = inode.streams.find((s) => s.kind === 'data' && s.name === '')?.hash ?? null
  const named = inode.streams.filter((s) => s.kind === 'data' && s.name).map((s) => ({ name: s.name, hash: s.hash }))
  const unnamed: Array<string | null> = []
  if (inode.attributes & FileAttribute.REPARSE_POINT) unnamed.push(reparse)
  if (!(inode.attributes & FileAttribute.DIRECTORY)) unnamed.push(data)
  if (unnamed.length <= 1 && named.length === 0) return { mainHash: unnamed[0] ?? null, extra: [] }
  return { mainHash: null, extra: [...unnamed.map((hash) => ({ name: '', hash })), ...named] }
}

function dentryLength(dentry: WimDentry): number {
  const names = (dentry.name ? dentry.name.length * 2 + 2 : 0) + (dentry.shortName ? dentry.shortName.length * 2 + 2 : 0)
  return align8(DENTRY_FIXED_SIZE + names) + (dentry.inode.extra ? align8(dentry.inode.extra.length) : 0)
}

function streamEntryLength(name: string): number {
  return align8(STREAM_ENTRY_FIXED_SIZE + (name ? name.length * 2 + 2 : 0))
}

function totalLength(dentry: WimDentry): number {
  return dentryLength(dentry) + streamEntries(dentry.inode).extra.reduce((n, s) => n + streamEntryLength(s.name), 0)
}

/**
 * Serialises an image tree as a metadata resource, in the layout wimlib and WIMGAPI use:
 * security data, the root dentry and an end marker, then each directory's children (in
 * pre-order) followed by an end marker; an empty directory's list is just the marker.
 * Hard links get a shared group id; single-link files get 0.
 */
export function serializeMetadata(tree: WimImageTree, hardLinkIds: Map<WimInode, bigint> = assignHardLinkIds(tree.root)): Uint8Array {
  const security = serializeSecurityData(tree.securityDescriptors)

  // Where each directory's children go: lists are written in pre-order, as wimlib does.
  const subdirOffset = new Map<WimDentry, number>()
  let size = security.length + totalLength(tree.root) + 8
  const directories = preorderDirectories(tree.root)
  for (const dir of directories) {
    subdirOffset.set(dir, size)
    for (const child of dir.children!) size += totalLength(child)
    size += 8
  }

  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  out.set(security, 0)
  let at = security.length

  const write = (dentry: WimDentry): void => {
    const inode = dentry.inode
    const start = at
    const length = dentryLength(dentry)
    const streams = streamEntries(inode)
    view.setBigUint64(start, BigInt(length), true)
    view.setUint32(start + 8, inode.attributes, true)
    view.setInt32(start + 12, inode.securityId, true)
    view.setBigUint64(start + 16, BigInt(subdirOffset.get(dentry) ?? 0), true)
    view.setBigUint64(start + 40, inode.creationTime, true)
    view.setBigUint64(start + 48, inode.lastAccessTime, true)
    view.setBigUint64(start + 56, inode.lastWriteTime, true)
    if (streams.mainHash) out.set(fromHex(streams.mainHash), start + 64)
    view.setUint32(start + 84, inode.unknown0x54, true)
    if (inode.attributes & FileAttribute.REPARSE_POINT) {
      view.setUint32(start + 88, inode.reparseTag, true)
      view.setUint16(start + 92, inode.reparseReserved, true)
      view.setUint16(start + 94, inode.reparseFlags, true)
    } else {
      view.setBigUint64(start + 88, hardLinkIds.get(inode) ?? 0n, true)
    }
    view.setUint16(start + 96, streams.extra.length, true)
    view.setUint16(start + 98, dentry.shortName.length * 2, true)
    view.setUint16(start + 100, dentry.name.length * 2, true)
    let p = start + DENTRY_FIXED_SIZE
    if (dentry.name) {
      out.set(encodeUtf16le(dentry.name), p)
      p += dentry.name.length * 2 + 2
    }
    if (dentry.shortName) {
      out.set(encodeUtf16le(dentry.shortName), p)
      p += dentry.shortName.length * 2 + 2
    }
    if (inode.extra) out.set(inode.extra, align8(p))
    at = start + length
    for (const stream of streams.extra) {
      const entryLength = streamEntryLength(stream.name)
      view.setBigUint64(at, BigInt(entryLength), true)
      if (stream.hash) out.set(fromHex(stream.hash), at + 16)
      view.setUint16(at + 36, stream.name.length * 2, true)
      if (stream.name) out.set(encodeUtf16le(stream.name), at + STREAM_ENTRY_FIXED_SIZE)
      at += entryLength
    }
  }

  write(tree.root)
  at += 8
  for (const dir of directories) {
    for (const child of dir.children!) write(child)
    at += 8
  }
  return out
}

/** Every directory (an empty one gets a list holding only the end marker), in the pre-order their child lists are written. */
function preorderDirectories(root: WimDentry): WimDentry[] {
  const out: WimDentry[] = []
  const stack = [root]
  while (stack.length > 0) {
    const dir = stack.pop()!
    if (!dir.children) continue
    out.push(dir)
    for (let i = dir.children.length - 1; i >= 0; i--) if (dir.children[i]!.children) stack.push(dir.children[i]!)
  }
  return out
}

/**
 * Group ids for files with more than one name: the id each file came with (kept, so a
 * rewritten image matches its original), else a fresh one no other file uses.
 */
export function assignHardLinkIds(root: WimDentry): Map<WimInode, bigint> {
  const linked: WimInode[] = []
  const stack = [root]
  while (stack.length > 0) {
    const dentry = stack.pop()!
    if (dentry.inode.linkCount > 1 && !dentry.children) linked.push(dentry.inode)
    if (dentry.children) stack.push(...dentry.children)
  }
  const ids = new Map<WimInode, bigint>()
  const used = new Set(linked.map((i) => i.linkGroupId).filter((id) => id !== 0n))
  let next = 1n
  for (const inode of linked) {
    if (ids.has(inode)) continue
    if (inode.linkGroupId !== 0n) {
      ids.set(inode, inode.linkGroupId)
      continue
    }
    while (used.has(next)) next++
    ids.set(inode, next)
    used.add(next)
  }
  return ids
}
