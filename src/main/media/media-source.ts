import { stat } from 'node:fs/promises'
import { AppError } from '../../shared/errors'
import { openFolder } from '../fs/folder-tree'
import { openIso } from '../fs/iso/iso-image'
import type { SourceTree } from '../fs/source-tree'

export interface MediaSource {
  tree: SourceTree
  kind: 'iso' | 'folder'
  /** The ISO's volume label; null for a folder. */
  volumeLabel: string | null
}

/** Opens what media is made from: an ISO image read by our own readers, or a folder (an extracted or mounted ISO). */
export async function openMediaSource(path: string): Promise<MediaSource> {
  const facts = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new AppError(error.code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `${path} ${error.code === 'ENOENT' ? 'does not exist' : `cannot be read: ${error.message}`}`, { path }, { cause: error })
  })
  if (facts.isDirectory()) return { tree: await openFolder(path), kind: 'folder', volumeLabel: null }
  const iso = await openIso(path)
  return { tree: iso, kind: 'iso', volumeLabel: iso.volumeLabel.trim() || null }
}
