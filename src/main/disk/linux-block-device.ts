/**
 * A Linux whole-disk block device as sysfs describes it, read fresh on every call: what the
 * identity check compares right before a write, and what the device target needs (size,
 * logical sector size). sysfs is the kernel's own view, so no tool or daemon can be stale.
 */
import { readFileSync, realpathSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Drive } from '../../shared/drives'
import { AppError } from '../../shared/errors'
import { devNumberOf } from './system-disks-linux'

export interface LinuxBlockDevice {
  device: string
  /** Kernel name: sdb, nvme0n1, loop3. */
  name: string
  devNumber: string
  sizeBytes: number
  logicalSectorSize: number
  removable: boolean
  readOnly: boolean
  /** Vendor and model as the device reports them. */
  model: string
  serial: string | null
  /** Increases every time a medium appears under any name (Linux 5.15+): a replugged or swapped stick gets a new one. */
  diskseq: string | null
  /** Loop devices: the file behind them. */
  backingFile: string | null
}

function readAttribute(dir: string, name: string): string | null {
  try {
    const value = readFileSync(join(dir, name), 'utf8').trim()
    return value === '' ? null : value
  } catch {
    return null
  }
}

/** udev's database entry of a device: where ID_SERIAL and friends are kept. */
function udevProperty(devNumber: string, key: string, udevRoot: string): string | null {
  try {
    const line = readFileSync(join(udevRoot, `b${devNumber}`), 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`E:${key}=`))
    return line ? line.slice(key.length + 3).trim() || null : null
  } catch {
    return null
  }
}

export function probeLinuxBlockDevice(device: string, sysRoot = '/sys', udevRoot = '/run/udev/data'): LinuxBlockDevice {
  const devNumber = devNumberOf(device)
  if (!devNumber) throw new AppError('NOT_FOUND', `${device} is not a block device (unplugged?)`, { device })
  let dir: string
  try {
    dir = realpathSync(join(sysRoot, 'dev', 'block', devNumber))
  } catch {
    throw new AppError('NOT_FOUND', `${device} (${devNumber}) is not known to the kernel any more (unplugged?)`, { device })
  }
  if (readAttribute(dir, 'partition') !== null) {
    throw new AppError('UNSAFE_TARGET', `${device} is a partition, not a whole disk: choose the disk it belongs to`, { device, reason: 'partition' })
  }
  const sectors = Number(readAttribute(dir, 'size') ?? '0')
  const model = [readAttribute(dir, 'device/vendor'), readAttribute(dir, 'device/model')].filter(Boolean).join(' ')
  const backingFile = readAttribute(dir, 'loop/backing_file')
  return {
    device,
    name: basename(dir),
    devNumber,
    // sysfs counts 512-byte units whatever the device's sector size.
    sizeBytes: sectors * 512,
    logicalSectorSize: Number(readAttribute(dir, 'queue/logical_block_size') ?? '512'),
    removable: readAttribute(dir, 'removable') === '1',
    readOnly: readAttribute(dir, 'ro') === '1',
    model: model || (backingFile ? 'Loop device' : basename(dir)),
    serial:
      udevProperty(devNumber, 'ID_SERIAL_SHORT', udevRoot) ?? readAttribute(dir, 'serial') ?? readAttribute(dir, 'device/serial') ?? udevProperty(devNumber, 'ID_SERIAL', udevRoot),
    diskseq: readAttribute(dir, 'diskseq'),
    backingFile,
  }
}

/**
 * A block device as a Drive, straight from sysfs. The drive list comes from drivelist,
 * which leaves out loop devices; tests use this to put one in front of the engine as a
 * real block-device target.
 */
export function linuxDrive(device: string, systemReason: string | null = null): Drive {
  const info = probeLinuxBlockDevice(device)
  return {
    id: device,
    kind: 'disk',
    device,
    description: info.backingFile ? `Loop device (${info.backingFile})` : info.model,
    sizeBytes: info.sizeBytes,
    bus: info.backingFile ? 'LOOP' : null,
    isRemovable: info.removable,
    isUSB: false,
    isReadOnly: info.readOnly,
    isVirtual: info.backingFile !== null,
    isSystem: systemReason !== null,
    systemReason,
    partitionTable: null,
    volumes: [],
    exists: true,
  }
}
