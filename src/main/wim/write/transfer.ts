import type { RandomAccessReader } from '../../io/random-access'
import { readExactly } from '../../io/random-access'
import type { WimArchive } from '../archive'
import type { BlobEntry } from '../blob-table'
import { ResourceFlag, type Compression } from '../constants'
import type { BlobSource } from './blob-writer'
import type { OutputFile } from './output-file'

const COPY_BYTES = 8 * 1024 * 1024

/** Copies `length` bytes of a resource as they are stored; returns where they now start. */
export async function copyStored(out: OutputFile, reader: RandomAccessReader, offset: number, length: number, signal: AbortSignal, onBytes: (n: number) => void): Promise<number> {
  const start = out.position
  for (let at = 0; at < length; at += COPY_BYTES) {
    signal.throwIfAborted()
    const piece = await readExactly(reader, offset + at, Math.min(COPY_BYTES, length - at), 'resource')
    await out.write(piece)
    onBytes(piece.length)
  }
  return start
}

/**
 * Whether a blob can move to another WIM as its stored bytes: it is a plain resource that
 * is either stored uncompressed (any WIM may hold that) or compressed just as the target
 * compresses. Blobs in solid resources are always decompressed and stored again.
 */
export function canCopyStored(archive: WimArchive, blob: BlobEntry, target: { compression: Compression; chunkSize: number; solid: boolean }): boolean {
  if (blob.location.kind !== 'resource' || target.solid) return false
  if (!(blob.location.header.flags & ResourceFlag.COMPRESSED)) return true
  const header = archive.partOf(blob).header
  return header.compression === target.compression && header.chunkSize === target.chunkSize
}

/** A blob of an opened WIM as data to store again (decompressed on the way). */
export function archiveBlobSource(archive: WimArchive, blob: BlobEntry): BlobSource {
  return { size: blob.size, name: `${archive.file} blob ${blob.hash}`, read: () => archive.streamBlob(blob) }
}
