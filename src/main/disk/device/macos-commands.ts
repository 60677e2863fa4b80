/**
 * What runs on macOS around a raw write: `diskutil unmountDisk force` unmounts every volume
 * of the disk (they stay unmounted while we hold the device open), and the write goes to
 * the raw node /dev/rdiskN, which bypasses the buffer cache and is many times faster than
 * /dev/diskN.
 */
import { AppError } from '../../../shared/errors'

const DISK = /^\/dev\/(r?)disk(\d+)$/

export function rawDiskPath(device: string): string {
  const match = DISK.exec(device)
  if (!match) throw new AppError('VALIDATION', `${device} is not a whole disk (/dev/diskN)`, { device })
  return `/dev/rdisk${match[2]}`
}

export function unmountDiskCommand(device: string): { command: string; args: string[] } {
  const match = DISK.exec(device)
  if (!match) throw new AppError('VALIDATION', `${device} is not a whole disk (/dev/diskN)`, { device })
  return { command: 'diskutil', args: ['unmountDisk', 'force', `/dev/disk${match[2]}`] }
}
