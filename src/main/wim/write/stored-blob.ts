import type { BlobEntry } from '../blob-table'
import { ResourceFlag } from '../constants'
import type { StoredBlob } from './wim-writer'

/** A blob of an opened WIM as the writer records it, for rewriting that same file's tables. */
export function storedFromArchive(blob: BlobEntry): StoredBlob {
  const location = blob.location
  if (location.kind === 'resource') return { hash: blob.hash, size: blob.size, location: { kind: 'plain', header: location.header } }
  const r = location.resource
  return {
    hash: blob.hash,
    size: blob.size,
    location: { kind: 'solid', resource: { offset: r.offset, sizeInWim: r.sizeInWim, uncompressedSize: r.uncompressedSize, flags: ResourceFlag.SOLID }, offset: location.offset },
  }
}
