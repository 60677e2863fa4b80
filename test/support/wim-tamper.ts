import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { WimArchive } from '../../src/main/wim/archive'

/**
 * Edits the metadata resource of image 1 of an uncompressed WIM in place (same length), then
 * rewrites its SHA-1 in the blob table so the WIM still looks consistent: how hostile WIMs
 * (escaping names, directory loops) are made for tests.
 */
export async function tamperMetadata(wimPath: string, edit: (metadata: Uint8Array) => void): Promise<void> {
  const archive = await WimArchive.open(wimPath)
  const blob = archive.metadata[0]!
  const { blobTable } = archive.header
  await archive.close()
  if (blob.location.kind !== 'resource' || blob.location.header.sizeInWim !== blob.size) throw new Error('tamperMetadata needs an uncompressed WIM')
  const bytes = readFileSync(wimPath)
  const start = blob.location.header.offset
  const metadata = bytes.subarray(start, start + blob.size)
  edit(metadata)
  const table = bytes.subarray(blobTable.offset, blobTable.offset + blobTable.sizeInWim)
  const at = table.indexOf(Buffer.from(blob.hash, 'hex'))
  if (at < 0) throw new Error('metadata hash not found in the blob table')
  table.set(createHash('sha1').update(metadata).digest(), at)
  writeFileSync(wimPath, bytes)
}

/** Byte offset of the first dentry named `name` in a metadata resource. */
export function dentryOffset(metadata: Uint8Array, name: string): number {
  const at = Buffer.from(metadata.buffer, metadata.byteOffset, metadata.byteLength).indexOf(Buffer.from(`${name}\0`, 'utf16le'))
  if (at < 102) throw new Error(`dentry ${name} not found`)
  return at - 102
}

export function renameDentry(metadata: Uint8Array, from: string, to: string): void {
  if (from.length !== to.length) throw new Error('names must have the same length')
  const at = dentryOffset(metadata, from) + 102
  metadata.set(Buffer.from(to, 'utf16le'), at)
}
