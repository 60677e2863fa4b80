import { encodeUtf16le } from '../../io/utf16'
import { ReparseTag } from '../constants'

/**
 * Symbolic links and junctions as a WIM stores them: the reparse buffer without its first
 * 8 bytes (tag and length live in the dentry and the blob size).
 */
export interface ReparseLink {
  tag: number
  substituteName: string
  printName: string
  /** SYMLINK_FLAG_RELATIVE (1) for symbolic links; 0 for junctions. */
  flags: number
}

const utf16 = new TextDecoder('utf-16le')

export function isLinkTag(tag: number): boolean {
  return tag === ReparseTag.SYMLINK || tag === ReparseTag.MOUNT_POINT
}

export function parseReparseLink(tag: number, data: Uint8Array): ReparseLink | null {
  const headerSize = tag === ReparseTag.SYMLINK ? 12 : 8
  if (!isLinkTag(tag) || data.length < headerSize) return null
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const [substOff, substLen, printOff, printLen] = [0, 2, 4, 6].map((at) => view.getUint16(at, true)) as [number, number, number, number]
  if ((substOff | substLen | printOff | printLen) & 1) return null
  if (headerSize + substOff + substLen > data.length || headerSize + printOff + printLen > data.length) return null
  return {
    tag,
    substituteName: utf16.decode(data.subarray(headerSize + substOff, headerSize + substOff + substLen)),
    printName: utf16.decode(data.subarray(headerSize + printOff, headerSize + printOff + printLen)),
    flags: tag === ReparseTag.SYMLINK ? view.getUint32(8, true) : 0,
  }
}

export type LinkTarget = { kind: 'relative' | 'absolute'; target: string } | { kind: 'unusable'; reason: string }

/**
 * The POSIX symlink target of a Windows link, as wimlib's apply makes it: "\??\C:\x" and
 * "C:\x" lose their drive prefix, backslashes become slashes. Volume junctions
 * ("\??\Volume{...}\") point at another volume and cannot be followed here.
 */
export function posixLinkTarget(link: ReparseLink): LinkTarget {
  const name = link.substituteName
  if (/^\\\?\?\\[^\\]:\\/.test(name)) return { kind: 'absolute', target: name.slice(6).replaceAll('\\', '/') }
  if (link.tag === ReparseTag.MOUNT_POINT && /^\\\?\?\\Volume\{.*\\$/i.test(name)) {
    return { kind: 'unusable', reason: `it is a volume junction (${link.printName || name})` }
  }
  if (link.tag !== ReparseTag.SYMLINK || name.length === 0) return { kind: 'unusable', reason: `its target "${name}" is not a path` }
  if (/^[^\\]:\\/.test(name)) return { kind: 'absolute', target: name.slice(2).replaceAll('\\', '/') }
  if (name.startsWith('\\')) return { kind: 'absolute', target: name.replaceAll('\\', '/') }
  return { kind: 'relative', target: name.replaceAll('\\', '/') }
}

const SYMLINK_FLAG_RELATIVE = 1

/**
 * The reparse data (WIM form) of a symbolic link captured from a POSIX link target, as
 * wimlib writes it: a relative target keeps its path with backslashes and the relative
 * flag; an absolute one becomes "\??\C:\..." (the form Microsoft's tools can fix up).
 */
export function symlinkReparseData(posixTarget: string): Uint8Array {
  const windows = posixTarget.replaceAll('/', '\\')
  const absolute = posixTarget.startsWith('/')
  const substitute = encodeUtf16le(absolute ? `\\??\\C:${windows}` : windows)
  const print = encodeUtf16le(absolute ? `C:${windows}` : windows)
  const data = new Uint8Array(12 + substitute.length + 2 + print.length + 2)
  const view = new DataView(data.buffer)
  view.setUint16(0, 0, true)
  view.setUint16(2, substitute.length, true)
  view.setUint16(4, substitute.length + 2, true)
  view.setUint16(6, print.length, true)
  view.setUint32(8, absolute ? 0 : SYMLINK_FLAG_RELATIVE, true)
  data.set(substitute, 12)
  data.set(print, 12 + substitute.length + 2)
  return data
}
