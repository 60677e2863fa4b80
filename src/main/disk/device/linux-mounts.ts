import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import { runTool } from '../../platform/run-tool'
import { disksUnder, parseMountinfo, type MountEntry } from '../system-disks-linux'

/**
 * The mounts that live on a disk (its partitions, the disk itself, or LVM/LUKS devices on
 * it), deepest mount point first so nested mounts come off before their parents.
 */
export function mountsOnDisk(diskName: string, mountinfo: string, sysRoot = '/sys'): MountEntry[] {
  return parseMountinfo(mountinfo)
    .filter((entry) => !entry.devNumber.startsWith('0:') && disksUnder(join(sysRoot, 'dev', 'block', entry.devNumber), sysRoot).includes(diskName))
    .sort((a, b) => b.mountpoint.split('/').length - a.mountpoint.split('/').length)
}

/** Unmounts everything on the disk; a mount that will not come off stops the write before it starts. */
export async function unmountDisk(diskName: string, device: string, log: (message: string) => void): Promise<void> {
  for (const mount of mountsOnDisk(diskName, readFileSync('/proc/self/mountinfo', 'utf8'))) {
    log(`Unmounting ${mount.source} from ${mount.mountpoint}`)
    const result = await runTool('umount', [mount.mountpoint], { timeoutMs: 60_000 })
    if (result.exitCode !== 0) {
      throw new AppError(
        'IO',
        `Could not unmount ${mount.source} from ${mount.mountpoint} (${result.stderr.trim() || `exit ${result.exitCode}`}): close the programs using it and try again. Nothing was written.`,
        { device, mountpoint: mount.mountpoint },
      )
    }
  }
}
