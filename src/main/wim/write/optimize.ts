import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { OptimizeReport } from '../../../shared/wim'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import { WimArchive } from '../archive'
import type { Compression } from '../constants'
import { exportImages } from './export'

/**
 * Rebuilds a WIM without the space deleted or replaced images left behind (what
 * `dism /Export-Image` is used for after servicing): every image exported into a new file
 * that replaces the old one only when complete. Same GUID, same boot image, same XML.
 */
export async function optimizeWim(path: string, pool: WorkerPool, ctx: OperationContext, options: { compression?: Compression } = {}): Promise<OptimizeReport> {
  const started = performance.now()
  const file = resolve(path)
  const bytesBefore = (await stat(file)).size
  const archive = await WimArchive.open(file)
  const { guid, compression, version } = archive.header
  const solid = version === 0xe00 && [...archive.blobs.values()].some((b) => b.location.kind === 'solid')
  const integrity = archive.header.integrity.sizeInWim > 0
  await archive.close()
  await exportImages({ source: file, images: 'all', dest: file, mode: 'create', compression: options.compression ?? compression, solid, integrity, guid }, pool, ctx)
  return { wim: file, bytesBefore, bytesAfter: (await stat(file)).size, seconds: (performance.now() - started) / 1000 }
}
