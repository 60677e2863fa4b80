import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { startsAligned } from './aligned'

/**
 * Both the offset and the length of a direct write, and the address of its memory, must be
 * multiples of the device's logical block size; 4096 suits every disk (512 or 4096 bytes).
 */
export const DIRECT_ALIGNMENT = 4096

/**
 * A second handle on a target that writes past the page cache (Linux O_DIRECT), for the
 * writes that allow it: whole 4 KiB blocks from page-aligned memory, which is what a
 * SequentialWriter's blocks are. Everything else (tables, sector-sized updates) goes through
 * the target's ordinary handle.
 *
 * Why: a buffered write copies every byte into the page cache and leaves the disk to catch
 * up later, so gigabytes of dirty pages pile up, the machine's memory is flooded with data
 * nobody will read, and the copy costs CPU. Measured on a 2-core VM, 2 GiB onto an image
 * file: about 0.3 s of system time instead of 1.2-7 s, and a steady time where buffered
 * writes ranged from 1 s to 6 s. Reading back afterwards reads what the disk holds, not
 * the copy in memory.
 */
export class DirectWrites {
  private refused = false

  private constructor(private readonly handle: FileHandle) {}

  /**
   * Opens `path` for direct writes, or returns null where that is not available: not Linux,
   * a file system without O_DIRECT (tmpfs refuses the open), or a path that no longer names
   * the file `same` describes (the stat of the target's own handle), so a swap between the
   * two opens can never send writes elsewhere.
   */
  static async open(path: string, same: { dev: number; ino: number }): Promise<DirectWrites | null> {
    if (process.platform !== 'linux' || !constants.O_DIRECT) return null
    let handle: FileHandle
    try {
      handle = await open(path, constants.O_WRONLY | constants.O_DIRECT)
    } catch {
      return null
    }
    const { dev, ino } = await handle.stat()
    if (dev === same.dev && ino === same.ino) return new DirectWrites(handle)
    await handle.close()
    return null
  }

  /**
   * Writes `data` at `position` past the page cache and returns true, or returns false when
   * the caller must write it through its ordinary handle: the write is not aligned, or the
   * target turned out to refuse direct writes (EINVAL), after which none are tried again.
   */
  async tryWrite(data: Uint8Array, position: number): Promise<boolean> {
    if (this.refused || data.length === 0 || position % DIRECT_ALIGNMENT !== 0 || data.length % DIRECT_ALIGNMENT !== 0 || !startsAligned(data, DIRECT_ALIGNMENT)) return false
    try {
      for (let done = 0; done < data.length; ) {
        const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done)
        if (bytesWritten === 0) return false
        done += bytesWritten
      }
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error
      this.refused = true
      return false
    }
  }

  close(): Promise<void> {
    return this.handle.close()
  }
}
