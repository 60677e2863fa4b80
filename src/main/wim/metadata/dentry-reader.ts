import { FileAttribute } from '../constants'
import { corrupt } from '../format-error'
import { isZeroHash, toHex } from '../sha1'
import type { WimDentry, WimImageTree, WimInode, WimStream } from './model'
import { parseSecurityData } from './security'

/** Fixed part of an on-disk dentry; names, tagged items and stream entries follow. */
export const DENTRY_FIXED_SIZE = 102
/** Fixed part of an extra stream entry; the name follows. */
export const STREAM_ENTRY_FIXED_SIZE = 38
const MAX_DEPTH = 16384

const utf16 = new TextDecoder('utf-16le')

interface ReadDentry {
  dentry: WimDentry
  subdirOffset: number
  hardLinkGroup: bigint
  next: number
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8
}

/**
 * Parses a metadata resource: the security descriptors and the dentry tree. Every length
 * and offset is checked against the buffer; loops and absurd depths are refused; names the
 * format forbids ("." and "..", embedded NUL, duplicates) are skipped with a warning, as
 * wimlib and DISM do.
 */
export function parseMetadata(buf: Uint8Array, file: string): WimImageTree {
  const security = parseSecurityData(buf, file)
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const warnings: string[] = []
  const groups = new Map<bigint, WimDentry[]>()

  const read = (offset: number): ReadDentry | null => {
    if (offset + 8 > buf.length) throw corrupt(file, 'dentry', offset, 'runs past the end of the metadata resource')
    const length = align8(Number(view.getBigUint64(offset, true) & 0xffffffffn))
    if (view.getUint32(offset + 4, true) !== 0) throw corrupt(file, 'dentry', offset, 'length is absurdly large')
    if (length <= 8) return null
    if (length < DENTRY_FIXED_SIZE || offset + length > buf.length) {
      throw corrupt(file, 'dentry', offset, `length ${length} does not fit the metadata resource`)
    }
    const attributes = view.getUint32(offset + 8, true)
    const nameBytes = view.getUint16(offset + 100, true)
    const shortNameBytes = view.getUint16(offset + 98, true)
    if (nameBytes % 2 || shortNameBytes % 2) throw corrupt(file, 'dentry', offset, 'odd-length UTF-16 name')
    const namesEnd = DENTRY_FIXED_SIZE + (nameBytes ? nameBytes + 2 : 0) + (shortNameBytes ? shortNameBytes + 2 : 0)
    if (namesEnd > length) throw corrupt(file, 'dentry', offset, `names (${nameBytes}+${shortNameBytes} bytes) do not fit its length ${length}`)
    let p = offset + DENTRY_FIXED_SIZE
    const name = nameBytes ? utf16.decode(buf.subarray(p, p + nameBytes)) : ''
    if (nameBytes) p += nameBytes + 2
    const shortName = shortNameBytes ? utf16.decode(buf.subarray(p, p + shortNameBytes)) : ''
    if (shortNameBytes) p += shortNameBytes + 2
    p = align8(p)
    const extra = p < offset + length ? buf.slice(p, offset + length) : null

    const isReparse = (attributes & FileAttribute.REPARSE_POINT) !== 0
    const hashes: Array<{ name: string; hash: Uint8Array }> = [{ name: '', hash: buf.subarray(offset + 64, offset + 84) }]
    let at = offset + length
    const extraStreams = view.getUint16(offset + 96, true)
    for (let i = 0; i < extraStreams; i++) {
      if (at + STREAM_ENTRY_FIXED_SIZE > buf.length) throw corrupt(file, 'stream entry', at, 'runs past the end of the metadata resource')
      const entryLength = align8(Number(view.getBigUint64(at, true) & 0xffffffffn))
      const streamNameBytes = view.getUint16(at + 36, true)
      if (entryLength < STREAM_ENTRY_FIXED_SIZE || at + entryLength > buf.length || streamNameBytes % 2 || STREAM_ENTRY_FIXED_SIZE + streamNameBytes > entryLength) {
        throw corrupt(file, 'stream entry', at, `length ${entryLength} with a ${streamNameBytes}-byte name is inconsistent`)
      }
      hashes.push({
        name: streamNameBytes ? utf16.decode(buf.subarray(at + STREAM_ENTRY_FIXED_SIZE, at + STREAM_ENTRY_FIXED_SIZE + streamNameBytes)) : '',
        hash: buf.subarray(at + 16, at + 36),
      })
      at += entryLength
    }

    const inode: WimInode = {
      attributes,
      securityId: view.getInt32(offset + 12, true),
      creationTime: view.getBigUint64(offset + 40, true),
      lastAccessTime: view.getBigUint64(offset + 48, true),
      lastWriteTime: view.getBigUint64(offset + 56, true),
      reparseTag: isReparse ? view.getUint32(offset + 88, true) : 0,
      reparseReserved: isReparse ? view.getUint16(offset + 92, true) : 0,
      reparseFlags: isReparse ? view.getUint16(offset + 94, true) : 0,
      streams: assignStreams(hashes, attributes),
      unknown0x54: view.getUint32(offset + 84, true),
      extra,
      linkCount: 1,
      linkGroupId: isReparse ? 0n : view.getBigUint64(offset + 88, true),
    }
    if (inode.securityId >= security.descriptors.length || inode.securityId < -1) {
      warnings.push(`"${name}" refers to security descriptor ${inode.securityId} of ${security.descriptors.length}: dropped`)
      inode.securityId = -1
    }
    // A reparse point with the directory attribute (a link to a folder) is not a directory here.
    const isDirectory = (attributes & FileAttribute.DIRECTORY) !== 0 && !isReparse
    return {
      dentry: { name, shortName, inode, children: isDirectory ? [] : null },
      subdirOffset: Number(view.getBigUint64(offset + 16, true)),
      hardLinkGroup: isReparse ? 0n : view.getBigUint64(offset + 88, true),
      next: at,
    }
  }

  const rootRead = read(security.length)
  if (!rootRead) {
    warnings.push('the metadata resource has no directory entries: treated as an empty image')
    return { root: emptyRoot(), securityDescriptors: security.descriptors, warnings }
  }
  const root = rootRead.dentry
  if (!root.children) throw corrupt(file, 'root dentry', security.length, 'the root of the image is not a directory')
  root.name = ''
  root.shortName = ''

  const pending: Array<{ dir: WimDentry; offset: number; depth: number; path: string }> = [{ dir: root, offset: rootRead.subdirOffset, depth: 0, path: '' }]
  const visited = new Set<number>()
  while (pending.length > 0) {
    const { dir, offset, depth, path } = pending.pop()!
    if (offset === 0) continue
    if (visited.has(offset)) throw corrupt(file, 'dentry tree', offset, `directory loop at ${path || '\\'}`)
    if (depth >= MAX_DEPTH) throw corrupt(file, 'dentry tree', offset, 'directories nested too deep')
    visited.add(offset)
    const seen = new Set<string>()
    let at = offset
    for (;;) {
      const child = read(at)
      if (!child) break
      at = child.next
      const childPath = `${path}\\${child.dentry.name}`
      const problem = badName(child.dentry.name)
      if (problem) {
        warnings.push(`skipped a file ${problem} in ${path || '\\'}`)
        continue
      }
      if (seen.has(child.dentry.name)) {
        warnings.push(`skipped a second "${childPath}" (the directory already has that exact name)`)
        continue
      }
      seen.add(child.dentry.name)
      dir.children!.push(child.dentry)
      if (child.hardLinkGroup !== 0n && !child.dentry.children) {
        const group = groups.get(child.hardLinkGroup)
        if (group) group.push(child.dentry)
        else groups.set(child.hardLinkGroup, [child.dentry])
      }
      if (child.dentry.children) pending.push({ dir: child.dentry, offset: child.subdirOffset, depth: depth + 1, path: childPath })
      else if (child.subdirOffset !== 0) warnings.push(`ignored children of the non-directory ${childPath}`)
    }
  }
  joinHardLinks(groups, warnings)
  return { root, securityDescriptors: security.descriptors, warnings }
}

function emptyRoot(): WimDentry {
  return {
    name: '',
    shortName: '',
    children: [],
    inode: {
      attributes: FileAttribute.DIRECTORY,
      securityId: -1,
      creationTime: 0n,
      lastAccessTime: 0n,
      lastWriteTime: 0n,
      reparseTag: 0,
      reparseReserved: 0,
      reparseFlags: 0,
      streams: [],
      unknown0x54: 0,
      extra: null,
      linkCount: 1,
      linkGroupId: 0n,
    },
  }
}

function badName(name: string): string | null {
  if (name === '') return 'without a name'
  if (name === '.' || name === '..') return `named "${name}"`
  if (name.includes('\0')) return 'whose name contains a NUL character'
  return null
}

/**
 * Which hash is which stream: the format does not say. As Microsoft's tools do, a file has
 * at most one reparse stream (only with the reparse attribute) and one unnamed data stream,
 * the reparse stream coming first; a zero main hash is ignored when extra entries carry the
 * unnamed streams. Empty unnamed data streams are dropped: a file without one is empty.
 */
export function assignStreams(hashes: Array<{ name: string; hash: Uint8Array }>, attributes: number): WimStream[] {
  const isReparse = (attributes & FileAttribute.REPARSE_POINT) !== 0
  const streams: WimStream[] = []
  let haveReparse = false
  let haveData = false
  hashes.forEach(({ name, hash }, i) => {
    const value = isZeroHash(hash) ? null : toHex(hash)
    if (name) {
      streams.push({ name, kind: 'data', hash: value })
    } else if (i !== 0 || value !== null) {
      if (isReparse && !haveReparse) {
        haveReparse = true
        streams.push({ name: '', kind: 'reparse', hash: value })
      } else if (!haveData) {
        haveData = true
        if (value !== null) streams.push({ name: '', kind: 'data', hash: value })
      }
    }
  })
  if (isReparse && !haveReparse && !haveData) streams.unshift({ name: '', kind: 'reparse', hash: null })
  return streams
}

/**
 * Dentries sharing a hard-link group id are names of one file. A group whose members
 * disagree (different contents or attributes) is left as separate files, with a warning,
 * rather than silently picking one.
 */
function joinHardLinks(groups: Map<bigint, WimDentry[]>, warnings: string[]): void {
  for (const [id, members] of groups) {
    if (members.length < 2) continue
    const first = members[0]!.inode
    const signature = (inode: WimInode): string => `${inode.attributes}|${inode.streams.map((s) => `${s.name}:${s.hash}`).join(',')}`
    const expected = signature(first)
    for (const member of members.slice(1)) {
      if (signature(member.inode) !== expected) {
        warnings.push(`hard-link group ${id} has members with different contents: kept as separate files`)
        continue
      }
      member.inode = first
      first.linkCount++
    }
  }
}
