import { statfs } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Drive, Volume } from '../../shared/drives'
import { linuxSystemDisks, SYSTEM_MOUNTPOINTS } from './system-disks-linux'

/** The shape drivelist returns; kept local so the engine compiles without its native part. */
export interface RawDrive {
  device: string
  description: string
  size: number | null
  busType: string
  isRemovable: boolean
  isReadOnly: boolean
  isSystem: boolean
  isVirtual: boolean | null
  isUSB: boolean | null
  mountpoints: Array<{ path: string; label: string | null }>
  partitionTableType: 'mbr' | 'gpt' | null
}

/** Block devices that are not disks anyone would write an image to. */
const PSEUDO_DEVICE = /^\/dev\/(zram|ram|loop|sr|md\d+p|nbd)/

async function volumeOf(mountpoint: { path: string; label: string | null }): Promise<Volume> {
  try {
    const s = await statfs(mountpoint.path)
    return { mountpoint: mountpoint.path, label: mountpoint.label, sizeBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize }
  } catch {
    return { mountpoint: mountpoint.path, label: mountpoint.label, sizeBytes: null, freeBytes: null }
  }
}

/**
 * Why the host runs from this disk, or null. On Linux we resolve the disks under /, /boot,
 * /usr, ... ourselves (through LVM, LUKS and RAID), because drivelist there calls every fixed
 * disk a system disk; on Windows and macOS drivelist asks the OS, which knows.
 */
export function systemReason(raw: RawDrive, platform: NodeJS.Platform, linuxSystem: Map<string, string>): string | null {
  if (platform === 'linux') {
    const fromSys = linuxSystem.get(basename(raw.device))
    if (fromSys) return fromSys
    const mounted = raw.mountpoints.find((m) => SYSTEM_MOUNTPOINTS.has(m.path))
    return mounted ? `mounted at ${mounted.path}` : null
  }
  return raw.isSystem ? 'the operating system runs from this disk' : null
}

export async function toDrive(raw: RawDrive, platform: NodeJS.Platform, linuxSystem: Map<string, string>): Promise<Drive> {
  const bus = raw.busType && raw.busType !== 'UNKNOWN' ? raw.busType : null
  const reason = systemReason(raw, platform, linuxSystem)
  return {
    id: raw.device,
    kind: 'disk',
    device: raw.device,
    description: raw.description || basename(raw.device),
    sizeBytes: raw.size,
    bus,
    isRemovable: raw.isRemovable,
    isUSB: raw.isUSB ?? bus === 'USB',
    isReadOnly: raw.isReadOnly,
    isVirtual: raw.isVirtual ?? false,
    isSystem: reason !== null,
    systemReason: reason,
    partitionTable: raw.partitionTableType,
    volumes: await Promise.all(raw.mountpoints.map(volumeOf)),
    exists: true,
  }
}

export async function listDisks(platform: NodeJS.Platform = process.platform): Promise<Drive[]> {
  const drivelist = (await import('drivelist')) as { list(): Promise<RawDrive[]> }
  const raw = await drivelist.list()
  const linuxSystem = platform === 'linux' ? linuxSystemDisks() : new Map<string, string>()
  const disks = raw.filter((d) => !PSEUDO_DEVICE.test(d.device) && (d.size ?? 0) > 0)
  return Promise.all(disks.map((d) => toDrive(d, platform, linuxSystem)))
}
