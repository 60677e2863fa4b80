/**
 * The platform-specific part of writing a whole disk: what the drive is right now, what
 * must let go of it before it is opened (mounted volumes), which node to open and how, and
 * what tells the OS afterwards that the disk changed. Everything else about a device
 * target is the same on every OS.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import type { Drive } from '../../../shared/drives'
import { AppError } from '../../../shared/errors'
import { runTool } from '../../platform/run-tool'
import { linuxDrive, probeLinuxBlockDevice } from '../linux-block-device'
import { listDisks } from '../list-disks'
import { linuxSystemDisks } from '../system-disks-linux'
import { unmountDisk } from './linux-mounts'
import { rawDiskPath, unmountDiskCommand } from './macos-commands'
import { LOCKED_MARKER, lockVolumesScript, physicalDriveNumber, powershellCommand } from './windows-commands'

export interface DeviceAccess {
  /** The node to open for writing. */
  readonly path: string
  readonly flags: number | string
  readonly sectorSize: number
  /** Before opening: unmount, lock, dismount. */
  release(log: (message: string) => void): Promise<void>
  /** After fsync: push the OS's own buffers out and drop them, so a read-back comes from the drive. */
  flushBuffers(): Promise<void>
  /** After closing: let the OS see the new contents (partition table, volumes). */
  finish(log: (message: string) => void): Promise<void>
}

/** The drive as the OS describes it this moment (null when it is gone), with the system-disk check redone. */
export async function currentDrive(device: string, platform: NodeJS.Platform = process.platform): Promise<Drive | null> {
  if (platform === 'linux') {
    try {
      return linuxDrive(device, linuxSystemDisks().get(probeLinuxBlockDevice(device).name) ?? null)
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null
      throw error
    }
  }
  return (await listDisks(platform)).find((d) => d.device === device) ?? null
}

export function deviceAccess(device: string, platform: NodeJS.Platform = process.platform): DeviceAccess {
  switch (platform) {
    case 'linux':
      return linuxAccess(device)
    case 'darwin':
      return macAccess(device)
    case 'win32':
      return windowsAccess(device)
    default:
      throw new AppError('UNSUPPORTED', `Writing drives is not supported on ${platform}`, { platform })
  }
}

function linuxAccess(device: string): DeviceAccess {
  const info = probeLinuxBlockDevice(device)
  return {
    path: device,
    // O_EXCL on a block device: the open fails while anything has it mounted or open
    // exclusively, and nothing can mount it while we hold it.
    flags: constants.O_RDWR | constants.O_EXCL,
    sectorSize: info.logicalSectorSize,
    release: (log) => unmountDisk(info.name, device, log),
    flushBuffers: async () => {
      // BLKFLSBUF: write back and invalidate the kernel's buffers of the device.
      const result = await runTool('blockdev', ['--flushbufs', device], { timeoutMs: 60_000 })
      if (result.exitCode !== 0) throw new AppError('IO', `Could not flush the buffers of ${device}: ${result.stderr.trim() || `exit ${result.exitCode}`}`, { device })
    },
    finish: async (log) => {
      // partx tells the kernel partition by partition (BLKPG), which works where a whole
      // re-read (BLKRRPART) is refused; a drive with no table left has nothing to tell.
      const result = await runTool('partx', ['--update', device], { timeoutMs: 60_000 })
      if (result.exitCode !== 0) log(`The kernel did not take the new partitions of ${device} (${result.stderr.trim() || `exit ${result.exitCode}`}); unplugging and replugging the drive shows them`)
    },
  }
}

function macAccess(device: string): DeviceAccess {
  return {
    path: rawDiskPath(device),
    flags: 'r+',
    sectorSize: 512,
    release: async (log) => {
      const { command, args } = unmountDiskCommand(device)
      log(`Unmounting the volumes of ${device}`)
      const result = await runTool(command, args, { timeoutMs: 60_000 })
      if (result.exitCode !== 0) {
        throw new AppError('IO', `diskutil could not unmount ${device}: ${(result.stderr || result.stdout).trim()}. Close the programs using it and try again.`, { device })
      }
    },
    flushBuffers: async () => undefined,
    finish: async () => undefined,
  }
}

function windowsAccess(device: string): DeviceAccess {
  const diskNumber = physicalDriveNumber(device)
  let holder: ReturnType<typeof spawn> | null = null
  return {
    path: device,
    flags: 'r+',
    sectorSize: 512,
    release: (log) => {
      log(`Locking and dismounting the volumes of ${device}`)
      const { command, args } = powershellCommand(lockVolumesScript(diskNumber))
      const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true })
      holder = child
      return new Promise<void>((resolve, reject) => {
        let out = ''
        let err = ''
        const timer = setTimeout(() => reject(new AppError('IO', `Locking the volumes of ${device} timed out`, { device })), 60_000)
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.includes(LOCKED_MARKER)) {
            clearTimeout(timer)
            resolve()
          }
        })
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
        child.on('error', (error) => {
          clearTimeout(timer)
          reject(new AppError('TOOL_MISSING', `Could not start PowerShell to lock ${device}: ${error.message}`, { device }))
        })
        child.on('exit', (code) => {
          clearTimeout(timer)
          reject(new AppError('IO', `Could not lock the volumes of ${device} (exit ${code}): ${err.trim()}. Close the programs using it and try again.`, { device }))
        })
      })
    },
    flushBuffers: async () => undefined,
    finish: async () => {
      const child = holder
      if (!child || child.exitCode !== null) return
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.stdin?.end()
      })
    },
  }
}
