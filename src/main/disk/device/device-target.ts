import { open, type FileHandle } from 'node:fs/promises'
import type { DriveIdentity } from '../../../shared/drives'
import { AppError } from '../../../shared/errors'
import { DirectIO } from '../../io/direct-io'
import type { ByteTarget } from '../byte-target'
import { identify } from '../identity'
import { devNumberFromRdev } from '../system-disks-linux'
import { assertSameDrive, assertWritable } from '../write-safety'
import { currentDrive, deviceAccess, type DeviceAccess } from './device-access'

export interface OpenDeviceOptions {
  platform?: NodeJS.Platform
  log?: (message: string) => void
}

/**
 * A whole disk as a write target. Opening it is where the safety rules meet the device:
 * the drive is looked up again, must not be the system disk or read-only, must be exactly
 * the confirmed one, is released by the OS (unmounted, locked) and opened exclusively, and
 * is checked once more after the open, so nothing can change between check and write.
 * Writes must cover whole logical sectors, as raw disk nodes on Windows and macOS demand.
 * On Linux, aligned blocks in aligned memory go to and from the drive past the page cache
 * (see DirectIO), through a second handle checked to be on the same device node.
 */
export class DeviceTarget implements ByteTarget {
  private constructor(
    readonly name: string,
    readonly size: number,
    readonly sectorSize: number,
    private readonly handle: FileHandle,
    private readonly direct: DirectIO | null,
    private readonly access: DeviceAccess,
    private readonly log: (message: string) => void,
  ) {}

  static async open(confirmed: DriveIdentity, options: OpenDeviceOptions = {}): Promise<DeviceTarget> {
    const platform = options.platform ?? process.platform
    const log = options.log ?? (() => undefined)
    const device = confirmed.device
    const check = async (): Promise<void> => {
      const drive = await currentDrive(device, platform)
      if (drive) assertWritable(drive)
      assertSameDrive(confirmed, drive && identify(drive, platform))
    }
    if (confirmed.kind !== 'disk' || confirmed.sizeBytes === null) {
      throw new AppError('INTERNAL', `${device} is not a disk identity`, { device })
    }
    // Built first: on Linux it refuses anything but a whole-disk block device.
    const access = deviceAccess(device, platform)
    await check()
    await access.release(log)
    let handle: FileHandle
    let direct: DirectIO | null
    try {
      handle = await open(access.path, access.flags)
    } catch (error) {
      throw openError(device, error)
    }
    try {
      if (platform === 'linux') {
        const st = await handle.stat()
        if (!st.isBlockDevice() || devNumberFromRdev(st.rdev) !== confirmed.fingerprint['device number']) {
          throw new AppError('UNSAFE_TARGET', `${device} changed while it was being opened: nothing was written. Choose the drive again.`, { device, reason: 'identity changed' })
        }
      }
      await check()
      direct = await DirectIO.open(access.path, await handle.stat())
    } catch (error) {
      await handle.close()
      throw error
    }
    log(`Opened ${access.path} for writing, exclusively${direct ? ', with direct writes past the page cache' : ''}`)
    return new DeviceTarget(device, confirmed.sizeBytes, access.sectorSize, handle, direct, access, log)
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    if (position % this.sectorSize !== 0 || data.length % this.sectorSize !== 0) {
      throw new AppError('INTERNAL', `Unaligned write to ${this.name}: ${data.length} bytes at ${position} (sector size ${this.sectorSize})`, {
        device: this.name,
        offset: position,
      })
    }
    if (position < 0 || position + data.length > this.size) {
      throw new AppError('IO', `Write outside ${this.name}: ${data.length} bytes at ${position} (size ${this.size})`, { device: this.name, offset: position })
    }
    if (await this.direct?.tryWrite(data, position)) return
    let done = 0
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done)
      if (bytesWritten === 0) throw new AppError('IO', `${this.name} took no bytes at ${position + done} (removed?)`, { device: this.name, offset: position + done })
      done += bytesWritten
    }
  }

  /** Reads whole sectors; an unaligned request goes through a sector-aligned buffer. */
  async read(buffer: Uint8Array, position: number): Promise<number> {
    const length = Math.max(0, Math.min(buffer.length, this.size - position))
    const direct = await this.direct?.tryRead(buffer.subarray(0, length), position)
    if (direct !== undefined && direct !== null) return direct
    const start = Math.floor(position / this.sectorSize) * this.sectorSize
    const end = Math.ceil((position + length) / this.sectorSize) * this.sectorSize
    const aligned = start === position && end === position + length
    const into = aligned ? buffer.subarray(0, length) : new Uint8Array(end - start)
    let done = 0
    while (done < into.length) {
      const { bytesRead } = await this.handle.read(into, done, into.length - done, start + done)
      if (bytesRead === 0) break
      done += bytesRead
    }
    if (!aligned) buffer.set(into.subarray(position - start, Math.min(done, position - start + length)))
    return Math.max(0, Math.min(length, done - (position - start)))
  }

  async flush(): Promise<void> {
    await this.handle.sync()
    await this.access.flushBuffers()
  }

  async close(): Promise<void> {
    await this.direct?.close()
    await this.handle.close()
    await this.access.finish(this.log)
  }
}

function openError(device: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EBUSY') {
    return new AppError('IO', `${device} is in use by another program (a mounted volume, an open disk tool, LVM or an encrypted volume on it): close it and try again. Nothing was written.`, {
      device,
      errno: code,
    })
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('IO', `Writing ${device} needs administrator rights. Nothing was written.`, { device, errno: code })
  }
  return new AppError('IO', `Could not open ${device}: ${(error as Error).message}`, { device, errno: typeof code === 'string' ? code : null })
}
