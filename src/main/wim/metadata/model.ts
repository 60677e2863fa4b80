/** An image's file tree as the WIM stores it, in memory. */

export type StreamKind = 'data' | 'reparse'

export interface WimStream {
  /** '' for the unnamed stream (file contents or reparse data). */
  name: string
  kind: StreamKind
  /** SHA-1 hex of the stream's data; null when empty. */
  hash: string | null
}

/** A file: what all its names (hard links) share. */
export interface WimInode {
  attributes: number
  /** Index into the image's security descriptors, or -1. */
  securityId: number
  creationTime: bigint
  lastAccessTime: bigint
  lastWriteTime: bigint
  reparseTag: number
  reparseReserved: number
  reparseFlags: number
  streams: WimStream[]
  /** Kept as read so a rewrite does not lose it. */
  unknown0x54: number
  /** Tagged items after the names (wimlib's UNIX data, object ids), kept as raw bytes. */
  extra: Uint8Array | null
  /** Number of dentries (names) of this inode. */
  linkCount: number
  /** The hard-link group id it was stored with (0 when none); kept so a rewrite matches. */
  linkGroupId: bigint
}

/** A name in a directory. */
export interface WimDentry {
  name: string
  shortName: string
  inode: WimInode
  /** Children by order on disk; null for anything that is not a directory. */
  children: WimDentry[] | null
}

export interface WimImageTree {
  root: WimDentry
  securityDescriptors: Uint8Array[]
  /** Oddities skipped while reading, in words. */
  warnings: string[]
}
