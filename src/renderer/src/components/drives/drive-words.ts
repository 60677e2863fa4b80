import type { Volume } from '../../../../shared/drives'

/** A drive's mounted volumes in one line ("/media/usb "WINPE", /mnt/x"), or null when none is mounted. */
export function mountedVolumes(volumes: Volume[]): string | null {
  if (volumes.length === 0) return null
  return volumes.map((v) => `${v.mountpoint}${v.label ? ` "${v.label}"` : ''}`).join(', ')
}
