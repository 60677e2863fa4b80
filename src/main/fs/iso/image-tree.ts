import { compareNames, nameKey, unsafeWindowsNameReason } from '../../io/names'
import { AppError } from '../../../shared/errors'
import {
  depthFirst,
  splitSourcePath,
  streamFile,
  type SourceEntry,
  type SourceFile,
  type SourceTree,
} from '../source-tree'
import type { ImageFile } from './image-file'
import { corrupt, type Origin } from './structure-view'

/** One entry of an image's directory tree, as a file system view reads it. */
export interface ImageNode {
  /** The name as stored (version suffix already dropped), not yet checked for safety. */
  readonly name: string
  readonly isDirectory: boolean
  readonly size: number
  readonly modified: Date | null
  /** Where the record naming this entry is, for errors about it. */
  readonly origin: Origin
  readonly structure: string
  /** Identity of a directory on disk (its extent or ICB), to recognise a loop. */
  readonly location: string
}

/** One file system of an image (UDF, Joliet or ISO 9660): listing and opening, nothing more. */
export interface FileSystemView<N extends ImageNode> {
  readonly root: N
  /** A directory's entries in any order. */
  children(directory: N): Promise<readonly N[]>
  open(file: N): Promise<SourceFile>
  /** Image byte offset of the first byte of a file's content, if it is recorded in the image. */
  dataOffset(file: N): number | null
}

interface TreeNode<N> {
  readonly node: N
  readonly path: string
  readonly parent: TreeNode<N> | null
  listing?: Promise<Listing<N>>
}

/** A directory's children in walk order, and by the key Windows would look them up with. */
interface Listing<N> {
  readonly items: readonly TreeNode<N>[]
  readonly byKey: ReadonlyMap<string, TreeNode<N>>
}

/**
 * A source tree over one file system view: path lookup, walking, and the checks a copier
 * relies on, done once here for every view: safe names, no two names Windows would treat as
 * one, no directory loops. Directory listings are cached, so a walk followed by lookups reads
 * each directory once.
 */
export class ImageTree<N extends ImageNode> implements SourceTree {
  private readonly root: TreeNode<N>

  constructor(
    readonly description: string,
    protected readonly image: ImageFile,
    private readonly view: FileSystemView<N>,
  ) {
    this.root = { node: view.root, path: '', parent: null }
  }

  async *walk(): AsyncGenerator<SourceEntry> {
    const seen = new Set<string>([this.root.node.location])
    for await (const item of this.traverse()) {
      if (item.node.isDirectory) {
        if (seen.has(item.node.location)) throw corrupt(item.node.origin, item.node.structure, `directory ${item.path} is also linked from another place`)
        seen.add(item.node.location)
      }
      yield entryOf(item)
    }
  }

  async stat(path: string): Promise<SourceEntry | null> {
    const item = await this.lookup(path)
    return item && entryOf(item)
  }

  async open(path: string): Promise<SourceFile> {
    const item = await this.lookup(path)
    if (item === null) throw new AppError('NOT_FOUND', `${this.description} has no ${path}`, { path: this.image.path, entry: path })
    if (item.node.isDirectory) throw new AppError('VALIDATION', `${path} in ${this.description} is a directory`, { path: this.image.path, entry: path })
    return this.view.open(item.node)
  }

  async *stream(path: string, chunkBytes?: number): AsyncGenerator<Uint8Array> {
    yield* streamFile(await this.open(path), chunkBytes)
  }

  /** The file whose content starts at an image byte offset (a boot image), if any. */
  protected async fileAt(offset: number): Promise<SourceEntry | null> {
    for await (const item of this.traverse()) {
      if (!item.node.isDirectory && item.node.size > 0 && this.view.dataOffset(item.node) === offset) return entryOf(item)
    }
    return null
  }

  close(): Promise<void> {
    return this.image.close()
  }

  private traverse(): AsyncGenerator<TreeNode<N>> {
    return depthFirst<TreeNode<N>>(
      async (parent) => (await this.listingOf(parent ?? this.root)).items,
      (item) => item.node.isDirectory,
    )
  }

  private async lookup(path: string): Promise<TreeNode<N> | null> {
    let item: TreeNode<N> | undefined = this.root
    for (const name of splitSourcePath(path)) {
      if (!item.node.isDirectory) return null
      item = (await this.listingOf(item)).byKey.get(nameKey(name))
      if (item === undefined) return null
    }
    return item
  }

  private listingOf(parent: TreeNode<N>): Promise<Listing<N>> {
    parent.listing ??= this.list(parent)
    return parent.listing
  }

  private async list(parent: TreeNode<N>): Promise<Listing<N>> {
    const items: TreeNode<N>[] = []
    const byKey = new Map<string, TreeNode<N>>()
    for (const node of await this.view.children(parent.node)) {
      const path = parent.path === '' ? node.name : `${parent.path}/${node.name}`
      const reason = unsafeWindowsNameReason(node.name)
      if (reason !== null) throw corrupt(node.origin, node.structure, `refusing the name ${JSON.stringify(node.name)} in /${parent.path}: ${reason}`)
      const item = { node, path, parent }
      const key = nameKey(node.name)
      const twin = byKey.get(key)
      if (twin !== undefined) {
        throw new AppError('CONFLICT', `${this.description}: ${twin.path} and ${path} would be the same file on Windows`, {
          path: this.image.path,
          entry: path,
          offset: node.origin.offset,
        })
      }
      byKey.set(key, item)
      if (node.isDirectory) {
        for (let ancestor: TreeNode<N> | null = parent; ancestor !== null; ancestor = ancestor.parent) {
          if (ancestor.node.location === node.location) {
            throw corrupt(node.origin, node.structure, `directory ${path} is its own ancestor /${ancestor.path}: a directory loop`)
          }
        }
      }
      items.push(item)
    }
    return { items: items.sort((a, b) => compareNames(a.node.name, b.node.name)), byKey }
  }
}

function entryOf<N extends ImageNode>(item: TreeNode<N>): SourceEntry {
  const { node } = item
  return { path: item.path, name: node.name, isDirectory: node.isDirectory, size: node.isDirectory ? 0 : node.size, modified: node.modified }
}
