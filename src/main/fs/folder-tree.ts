import { compareNames, nameKey, unsafeWindowsNameReason } from '../io/names'
import { constants, type Dirent } from 'node:fs'
import { lstat, open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { AppError } from '../../shared/errors'
import {
  checkReadPosition,
  depthFirst,
  splitSourcePath,
  streamFile,
  type SourceEntry,
  type SourceFile,
  type SourceTree,
} from './source-tree'

/** An entry of the folder with the real (symlink-free) path it reads from. */
interface FolderItem extends SourceEntry {
  readonly real: string
  readonly parent: FolderItem | null
}

/**
 * A folder (an extracted or mounted ISO) as a source tree. Symbolic links are followed only
 * while they stay inside the folder: one that leads out of it, or nowhere, is an error naming
 * it, and a directory reached twice (a link loop) is too. Sockets, FIFOs and devices are not
 * listed. Nothing is cached, so the tree reflects the folder as it is now.
 */
export async function openFolder(path: string): Promise<SourceTree> {
  let root: string
  try {
    root = await realpath(resolve(path))
  } catch (error) {
    throw new AppError('NOT_FOUND', `Folder ${path} does not exist`, { path }, { cause: error })
  }
  if (!(await stat(root)).isDirectory()) throw new AppError('VALIDATION', `${path} is not a folder`, { path })
  return new FolderTree(root)
}

class FolderTree implements SourceTree {
  readonly description: string
  private readonly rootItem: FolderItem

  constructor(private readonly root: string) {
    this.description = `folder ${root}`
    this.rootItem = { path: '', name: '', isDirectory: true, size: 0, modified: null, real: root, parent: null }
  }

  async *walk(): AsyncGenerator<SourceEntry> {
    const items = depthFirst<FolderItem>(
      (parent) => this.list(parent ?? this.rootItem),
      (item) => item.isDirectory,
    )
    for await (const item of items) yield entryOf(item)
  }

  async stat(path: string): Promise<SourceEntry | null> {
    const item = await this.lookup(path)
    return item && entryOf(item)
  }

  async open(path: string): Promise<SourceFile> {
    const item = await this.lookup(path)
    if (item === null) throw new AppError('NOT_FOUND', `${this.description} has no ${path}`, { path: this.root, entry: path })
    if (item.isDirectory) throw new AppError('VALIDATION', `${path} in ${this.description} is a directory`, { path: this.root, entry: path })
    // The path is symlink-free; refusing to follow a link swapped in since keeps reads inside.
    const handle = await open(item.real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
    return new FolderFile(handle, item.real, (await handle.stat()).size)
  }

  async *stream(path: string, chunkBytes?: number): AsyncGenerator<Uint8Array> {
    yield* streamFile(await this.open(path), chunkBytes)
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  private async lookup(path: string): Promise<FolderItem | null> {
    let item = this.rootItem
    for (const name of splitSourcePath(path)) {
      if (!item.isDirectory) return null
      const key = nameKey(name)
      const entry = (await this.entries(item)).find((dirent) => nameKey(dirent.name) === key)
      const next = entry && (await this.itemOf(item, entry))
      if (!next) return null
      item = next
    }
    return item
  }

  private async list(parent: FolderItem): Promise<FolderItem[]> {
    const items: FolderItem[] = []
    for (const entry of await this.entries(parent)) {
      const item = await this.itemOf(parent, entry)
      if (item !== null) items.push(item)
    }
    return items.sort((a, b) => compareNames(a.name, b.name))
  }

  /** A directory's entries, refusing names a copier could not trust and names Windows would merge. */
  private async entries(parent: FolderItem): Promise<Dirent[]> {
    const entries = await readdir(parent.real, { withFileTypes: true })
    const byKey = new Map<string, string>()
    for (const entry of entries) {
      const path = childPath(parent, entry.name)
      const reason = unsafeWindowsNameReason(entry.name)
      if (reason !== null) throw this.refuse(path, reason)
      const twin = byKey.get(nameKey(entry.name))
      if (twin !== undefined) {
        throw new AppError('CONFLICT', `${this.description}: ${childPath(parent, twin)} and ${path} would be the same file on Windows`, { path: this.root, entry: path })
      }
      byKey.set(nameKey(entry.name), entry.name)
    }
    return entries
  }

  /** The item for a directory entry, following a symbolic link that stays inside; null for special files. */
  private async itemOf(parent: FolderItem, entry: Dirent): Promise<FolderItem | null> {
    const path = childPath(parent, entry.name)
    let real = join(parent.real, entry.name)
    if (entry.isSymbolicLink()) {
      try {
        real = await realpath(real)
      } catch {
        throw this.refuse(path, 'it is a symbolic link that leads nowhere')
      }
      const inside = relative(this.root, real)
      if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) throw this.refuse(path, `it is a symbolic link that leads out of the folder, to ${real}`)
    }
    const info = entry.isSymbolicLink() ? await stat(real) : await lstat(real)
    if (!info.isDirectory() && !info.isFile()) return null
    if (info.isDirectory()) {
      // A link to a directory twice is a copy twice; a link to an ancestor would never end.
      for (let ancestor: FolderItem | null = parent; ancestor !== null; ancestor = ancestor.parent) {
        if (ancestor.real === real) throw this.refuse(path, `it leads back to ${ancestor.path === '' ? 'the folder itself' : ancestor.path} (a link loop)`)
      }
    }
    return { path, name: entry.name, isDirectory: info.isDirectory(), size: info.isFile() ? info.size : 0, modified: info.mtime, real, parent }
  }

  private refuse(path: string, reason: string): AppError {
    return new AppError('VALIDATION', `${this.description}: refusing ${path}: ${reason}`, { path: this.root, entry: path })
  }
}

class FolderFile implements SourceFile {
  constructor(
    private readonly handle: FileHandle,
    private readonly real: string,
    readonly size: number,
  ) {}

  async read(buffer: Uint8Array, position: number): Promise<number> {
    checkReadPosition(position, this.real)
    let done = 0
    while (done < buffer.length && position + done < this.size) {
      const { bytesRead } = await this.handle.read(buffer, done, Math.min(buffer.length - done, this.size - position - done), position + done)
      if (bytesRead === 0) break
      done += bytesRead
    }
    return done
  }

  close(): Promise<void> {
    return this.handle.close()
  }
}

function childPath(parent: FolderItem, name: string): string {
  return parent.path === '' ? name : `${parent.path}/${name}`
}

function entryOf(item: FolderItem): SourceEntry {
  return { path: item.path, name: item.name, isDirectory: item.isDirectory, size: item.size, modified: item.modified }
}
