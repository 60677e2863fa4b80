/**
 * The tree to put on a volume, built from the caller's flat list of entries: every path,
 * name, size and date checked, missing parent directories created, names compared as FAT
 * compares them (ignoring case). The planner then fills in the layout of each node.
 */
import { AppError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import type { SourceFile } from '../source-tree'
import { foldName, longNameProblem } from './names'
import type { ShortNameField } from './short-names'

/** A file read at any position (an open file, a file inside an image): the writer reads it straight into its blocks. */
export type PositionalContents = SourceFile

/** Chunks (a stream, or bytes in memory), or a file being opened for positional reads. */
export type FileContents = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Promise<PositionalContents>

/** One directory or file to put on the volume. Parent directories are created when not listed. */
export interface FatSourceEntry {
  /** '/'-separated path from the root, without a leading slash: 'sources/install.swm'. */
  path: string
  kind: 'file' | 'directory'
  /** Files: the exact number of bytes `open` yields. */
  size?: number
  modified?: Date
  /** Defaults to `modified`. */
  created?: Date
  /** Defaults to `modified`. */
  accessed?: Date
  /**
   * Files: the contents, opened once, shortly before the writer reaches the file. Each chunk
   * is copied before the source is asked for the next, so a source may reuse one buffer; a
   * positional file is read without a copy, and closed by the writer.
   */
  open?: () => FileContents
}

/** The largest file FAT32 can hold: its size is a 32-bit field. */
export const MAX_FILE_SIZE = 0xffffffff

interface PlannedNodeBase {
  /** The long name as given. */
  name: string
  path: string
  created: Date
  modified: Date
  accessed: Date
  // Filled in by the planner:
  shortName: ShortNameField
  caseFlags: number
  /** Stored as long-name entries when the short name cannot say it. */
  longName: string | undefined
  firstCluster: number
  clusterCount: number
}

export interface PlannedDirectory extends PlannedNodeBase {
  kind: 'directory'
  parent: PlannedDirectory | undefined
  children: PlannedNode[]
}

export interface PlannedFile extends PlannedNodeBase {
  kind: 'file'
  size: number
  open: () => FileContents
}

export type PlannedNode = PlannedDirectory | PlannedFile

export function buildTree(entries: Iterable<FatSourceEntry>, now: Date): PlannedDirectory {
  return new TreeBuilder(now).build(entries)
}

/** Depth-first, parents before children, in input order. */
export function* walk(directory: PlannedDirectory): Generator<PlannedNode> {
  yield directory
  for (const child of directory.children) {
    if (child.kind === 'directory') yield* walk(child)
    else yield child
  }
}

class TreeBuilder {
  private readonly byName = new Map<PlannedDirectory, Map<string, PlannedNode>>()
  /** Directories created only because something is inside them; a later entry may describe them. */
  private readonly implicit = new Set<PlannedDirectory>()

  constructor(private readonly now: Date) {}

  build(entries: Iterable<FatSourceEntry>): PlannedDirectory {
    const root = this.directory('', '', undefined, {})
    for (const entry of entries) this.add(root, entry)
    return root
  }

  private add(root: PlannedDirectory, entry: FatSourceEntry): void {
    if (entry.kind !== 'file' && entry.kind !== 'directory') {
      throw new AppError('VALIDATION', `Entry "${String(entry.path)}" must be a file or a directory, not ${String(entry.kind)}`, { path: String(entry.path) })
    }
    const parts = typeof entry.path === 'string' ? entry.path.split('/') : []
    if (parts.length === 0 || parts.includes('')) {
      throw new AppError('VALIDATION', `Path "${String(entry.path)}" must be '/'-separated names without a leading or trailing slash`, { path: String(entry.path) })
    }
    let parent = root
    for (let i = 0; i < parts.length - 1; i++) parent = this.subdirectory(parent, parts.slice(0, i + 1).join('/'), parts[i]!, entry.path)
    const name = parts[parts.length - 1]!
    const existing = this.check(parent, name, entry.path)
    if (entry.kind === 'directory') {
      if (existing?.kind === 'directory' && this.implicit.delete(existing)) {
        Object.assign(existing, this.times(entry, entry.path))
        return
      }
      if (existing) throw duplicate(existing.path, entry.path)
      this.directory(name, entry.path, parent, entry)
      return
    }
    if (existing) throw duplicate(existing.path, entry.path)
    this.file(name, parent, entry)
  }

  /** The directory `name` in `parent`, created on first use. */
  private subdirectory(parent: PlannedDirectory, path: string, name: string, entryPath: string): PlannedDirectory {
    const existing = this.check(parent, name, path)
    if (existing?.kind === 'file') {
      throw new AppError('VALIDATION', `"${existing.path}" is a file, but "${entryPath}" is inside it`, { path: entryPath, file: existing.path })
    }
    if (existing) return existing
    const created = this.directory(name, path, parent, {})
    this.implicit.add(created)
    return created
  }

  /** Validate a name and return what already has it in `parent`, if anything. */
  private check(parent: PlannedDirectory, name: string, path: string): PlannedNode | undefined {
    const problem = longNameProblem(name)
    if (problem) throw new AppError('VALIDATION', `Cannot store "${path}" on FAT32: ${problem}`, { path })
    return this.byName.get(parent)!.get(foldName(name))
  }

  private directory(name: string, path: string, parent: PlannedDirectory | undefined, source: Partial<FatSourceEntry>): PlannedDirectory {
    const directory: PlannedDirectory = { kind: 'directory', ...this.node(name, path, source), parent, children: [] }
    this.byName.set(directory, new Map())
    if (parent) this.attach(parent, directory)
    return directory
  }

  private file(name: string, parent: PlannedDirectory, source: FatSourceEntry): void {
    const { path, size } = source
    if (size === undefined || !Number.isSafeInteger(size) || size < 0) {
      throw new AppError('VALIDATION', `File "${path}" needs a size in whole bytes, not ${String(size)}`, { path })
    }
    if (size > MAX_FILE_SIZE) {
      throw new AppError('VALIDATION', `File "${path}" is ${formatBytes(size)} (${size} bytes); a FAT32 file holds at most ${MAX_FILE_SIZE} bytes (4 GiB - 1)`, {
        path,
        size,
        maxSize: MAX_FILE_SIZE,
      })
    }
    if (size > 0 && !source.open) throw new AppError('VALIDATION', `File "${path}" has ${size} bytes but no way to read them`, { path })
    const open = source.open ?? (() => [])
    this.attach(parent, { kind: 'file', ...this.node(name, path, source), size, open })
  }

  private attach(parent: PlannedDirectory, child: PlannedNode): void {
    parent.children.push(child)
    this.byName.get(parent)!.set(foldName(child.name), child)
  }

  private node(name: string, path: string, source: Partial<FatSourceEntry>): PlannedNodeBase {
    return { name, path, ...this.times(source, path), shortName: '', caseFlags: 0, longName: undefined, firstCluster: 0, clusterCount: 0 }
  }

  private times(source: Partial<FatSourceEntry>, path: string): Pick<PlannedNodeBase, 'created' | 'modified' | 'accessed'> {
    const modified = checkDate(source.modified ?? this.now, path)
    return { modified, created: checkDate(source.created ?? modified, path), accessed: checkDate(source.accessed ?? modified, path) }
  }
}

function duplicate(first: string, second: string): AppError {
  return new AppError('VALIDATION', `"${first}" and "${second}" are the same name on FAT, which ignores case`, { path: second, otherPath: first })
}

export function checkDate(date: Date, where: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new AppError('VALIDATION', `Invalid date for "${where}"`, { path: where })
  return date
}
