import { open, type FileHandle } from 'node:fs/promises'
import { AppError } from '../../shared/errors'
import { DirectIO } from '../io/direct-io'
import { readFully } from '../io/random-access'

/**
 * Where bytes are written: an image file or a raw device, addressed by absolute offset.
 * Partition tables, file systems and media builders write through this, so every write
 * path is exercised on image files in tests and runs unchanged against a real drive.
 */
export interface ByteTarget {
  /** Human-readable name for errors and logs (a path). */
  readonly name: string
  /** Usable size in bytes. */
  readonly size: number
  /** Logical sector size of a device (writes cover whole sectors); unset for files, which take any write. */
  readonly sectorSize?: number
  write(data: Uint8Array, position: number): Promise<void>
  read(buffer: Uint8Array, position: number): Promise<number>
  /** Make everything written so far durable. */
  flush(): Promise<void>
  close(): Promise<void>
}

/**
 * An image file as a target. `create` makes (or truncates to) a file of the given size.
 * Aligned blocks in aligned memory are written and read past the page cache where the file
 * system allows it (see DirectIO); everything else through the ordinary handle.
 */
export class FileTarget implements ByteTarget {
  private constructor(
    readonly name: string,
    readonly size: number,
    private readonly handle: FileHandle,
    private readonly direct: DirectIO | null,
  ) {}

  private static async opened(path: string, size: number, handle: FileHandle, writable: boolean): Promise<FileTarget> {
    try {
      return new FileTarget(path, size, handle, writable ? await DirectIO.open(path, await handle.stat()) : null)
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  static async create(path: string, size: number): Promise<FileTarget> {
    const handle = await open(path, 'w+')
    try {
      await handle.truncate(size)
    } catch (error) {
      await handle.close()
      throw new AppError('IO', `Cannot size ${path} to ${size} bytes: ${(error as Error).message}`, { path, size })
    }
    return FileTarget.opened(path, size, handle, true)
  }

  /** `size` for a block device, which stats as 0 bytes: its size comes from the OS's listing. */
  static async openExisting(path: string, options: { writable: boolean; size?: number }): Promise<FileTarget> {
    const handle = await open(path, options.writable ? 'r+' : 'r')
    const size = options.size ?? (await handle.stat()).size
    return FileTarget.opened(path, size, handle, options.writable)
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    if (position < 0 || position + data.length > this.size) {
      throw new AppError('IO', `Write outside ${this.name}: ${data.length} bytes at ${position} (size ${this.size})`, {
        path: this.name,
        offset: position,
      })
    }
    if (await this.direct?.tryWrite(data, position)) return
    let done = 0
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done)
      done += bytesWritten
    }
  }

  async read(buffer: Uint8Array, position: number): Promise<number> {
    return (await this.direct?.tryRead(buffer, position)) ?? readFully(this.handle, buffer, position)
  }

  flush(): Promise<void> {
    return this.handle.sync()
  }

  async close(): Promise<void> {
    await this.direct?.close()
    await this.handle.close()
  }
}
