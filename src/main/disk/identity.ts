import { statSync } from 'node:fs'
import type { Drive, DriveIdentity } from '../../shared/drives'
import { AppError } from '../../shared/errors'
import { probeLinuxBlockDevice } from './linux-block-device'

/**
 * Who a drive is right now, or null when it is gone. On Linux the kernel is asked directly
 * (sysfs: size, model, serial, disk sequence number); elsewhere the fresh drive listing
 * the caller passes is what the OS said a moment ago. An image file is its size and inode:
 * another file moved into its place, or the same file resized, is another target.
 */
export function identify(drive: Drive, platform: NodeJS.Platform = process.platform): DriveIdentity | null {
  const base = { id: drive.id, kind: drive.kind, device: drive.device }
  if (drive.kind === 'image-file') {
    try {
      const st = statSync(drive.device)
      return { ...base, sizeBytes: st.size, description: 'Image file', serial: null, isRemovable: false, fingerprint: { inode: `${st.dev}:${st.ino}` } }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return { ...base, sizeBytes: null, description: 'Image file', serial: null, isRemovable: false, fingerprint: {} }
    }
  }
  if (platform === 'linux') {
    let info
    try {
      info = probeLinuxBlockDevice(drive.device)
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null
      throw error
    }
    const fingerprint: Record<string, string> = { 'device number': info.devNumber }
    if (info.diskseq) fingerprint['disk sequence number'] = info.diskseq
    if (info.backingFile) fingerprint['backing file'] = info.backingFile
    return { ...base, sizeBytes: info.sizeBytes, description: info.model, serial: info.serial, isRemovable: info.removable, fingerprint }
  }
  return {
    ...base,
    sizeBytes: drive.sizeBytes,
    description: drive.description,
    serial: null,
    isRemovable: drive.isRemovable,
    fingerprint: drive.bus ? { bus: drive.bus } : {},
  }
}
