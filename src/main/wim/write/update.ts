import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { UpdateReport } from '../../../shared/wim'
import { compareNames, unsafeWindowsNameReason } from '../../io/names'
import type { OperationContext } from '../../jobs/operation-context'
import type { WorkerPool } from '../../jobs/worker-pool'
import { findDentry } from '../apply/plan'
import { WimArchive } from '../archive'
import { CaptureFilter, DEFAULT_CAPTURE_CONFIG } from '../capture/exclusions'
import { scanSource, type ScannedTree } from '../capture/scan'
import { storeScannedContents } from '../capture/store-contents'
import { FileAttribute, HeaderFlag } from '../constants'
import { msToFiletime } from '../filetime'
import type { WimDentry, WimImageTree } from '../metadata/model'
import { imageElements } from '../xml/wim-info'
import { imageStats, refreshImageElement } from '../xml/image-xml'
import type { XmlElement } from '../xml/xml-dom'
import { storedFromArchive } from './stored-blob'
import { countReferences, WimWriter, writerSettings, type StoredBlob } from './wim-writer'

export type UpdateCommand = { kind: 'add'; source: string; dest: string } | { kind: 'delete'; path: string } | { kind: 'rename'; from: string; to: string }

export const UPDATE_PHASES = [
  { id: 'edit', label: 'Change the image' },
  { id: 'hash', label: 'Find duplicate files' },
  { id: 'write', label: 'Compress and write new files' },
  { id: 'finish', label: 'Write metadata and tables' },
]

function splitPath(path: string): string[] {
  return path.split(/[\\/]+/).filter(Boolean)
}

function newDirectory(name: string): WimDentry {
  const now = msToFiletime(Date.now())
  return {
    name,
    shortName: '',
    children: [],
    inode: { attributes: FileAttribute.DIRECTORY, securityId: -1, creationTime: now, lastAccessTime: now, lastWriteTime: now, reparseTag: 0, reparseReserved: 0, reparseFlags: 0, streams: [], unknown0x54: 0, extra: null, linkCount: 1, linkGroupId: 0n },
  }
}

/** Each file below (and including) `dentry` loses one name. */
function unlink(dentry: WimDentry): void {
  const stack = [dentry]
  while (stack.length > 0) {
    const d = stack.pop()!
    d.inode.linkCount--
    if (d.children) stack.push(...d.children)
  }
}

function insertSorted(dir: WimDentry, child: WimDentry): void {
  const children = dir.children!
  const at = children.findIndex((c) => compareNames(child.name, c.name) < 0)
  if (at < 0) children.push(child)
  else children.splice(at, 0, child)
}

function childNamed(dir: WimDentry, name: string): WimDentry | undefined {
  return dir.children?.find((c) => c.name === name) ?? dir.children?.find((c) => c.name.toLowerCase() === name.toLowerCase())
}

/** The folder at `parts`, made (with its parents) when missing. */
function ensureDirectory(root: WimDentry, parts: string[], path: string): WimDentry {
  let dir = root
  for (const part of parts) {
    let next = childNamed(dir, part)
    if (!next) {
      next = newDirectory(part)
      insertSorted(dir, next)
    }
    if (!next.children) throw new AppError('CONFLICT', `${path}: ${part} is a file, not a folder`, { path })
    dir = next
  }
  return dir
}

/** Puts `entry` at `dir/name`: folders merge, anything else replaces what was there. */
function graft(dir: WimDentry, entry: WimDentry): void {
  const existing = childNamed(dir, entry.name)
  if (existing && existing.children && entry.children) {
    for (const child of entry.children) graft(existing, child)
    return
  }
  if (existing) {
    unlink(existing)
    dir.children!.splice(dir.children!.indexOf(existing), 1)
  }
  insertSorted(dir, entry)
}

function checkName(name: string, path: string): void {
  const reason = unsafeWindowsNameReason(name)
  if (reason) throw new AppError('VALIDATION', `${path}: the name "${name}" cannot be used because ${reason}`, { path })
}

async function applyCommand(tree: WimImageTree, command: UpdateCommand, scans: ScannedTree[], signal: AbortSignal): Promise<void> {
  const root = tree.root
  if (command.kind === 'delete') {
    const parts = splitPath(command.path)
    const target = parts.length ? findDentry(root, command.path) : null
    if (!target) throw new AppError('NOT_FOUND', `The image has no path ${command.path}`, { path: command.path })
    const parent = findDentry(root, parts.slice(0, -1).join('\\'))!
    parent.children!.splice(parent.children!.indexOf(target), 1)
    unlink(target)
    return
  }
  if (command.kind === 'rename') {
    const from = splitPath(command.from)
    const to = splitPath(command.to)
    const target = from.length ? findDentry(root, command.from) : null
    if (!target || !to.length) throw new AppError('NOT_FOUND', `The image has no path ${command.from}`, { path: command.from })
    checkName(to[to.length - 1]!, command.to)
    const destination = findDentry(root, to.slice(0, -1).join('\\'))
    if (!destination?.children) throw new AppError('NOT_FOUND', `The image has no folder ${to.slice(0, -1).join('\\') || '\\'}`, { path: command.to })
    const clash = childNamed(destination, to[to.length - 1]!)
    // Renaming to the same name in another case is a rename, not a clash.
    if (clash && clash !== target) throw new AppError('CONFLICT', `${command.to} already exists in the image`, { path: command.to })
    const parent = findDentry(root, from.slice(0, -1).join('\\'))!
    parent.children!.splice(parent.children!.indexOf(target), 1)
    target.name = to[to.length - 1]!
    target.shortName = ''
    insertSorted(destination, target)
    return
  }
  const parts = splitPath(command.dest)
  for (const part of parts) checkName(part, command.dest)
  const sourceIsFolder = (await stat(command.source).catch(() => null))?.isDirectory() ?? false
  if (parts.length === 0) {
    if (!sourceIsFolder) throw new AppError('VALIDATION', `Only a folder can be added at the image root (${command.source} is a file)`, { path: command.source })
  }
  const scan = await scanSource(command.source, parts[parts.length - 1] ?? '', new CaptureFilter(DEFAULT_CAPTURE_CONFIG), signal)
  scans.push(scan)
  if (parts.length === 0) {
    for (const child of scan.tree.root.children!) graft(root, child)
    return
  }
  graft(ensureDirectory(root, parts.slice(0, -1), command.dest), scan.tree.root)
}

/**
 * Changes an image in place, like `wimlib-imagex update`: adds files and folders (merged
 * into existing folders, replacing files), deletes and renames paths. Only the new
 * contents and the image's new metadata are written, after the end of the file; the rest
 * of the WIM is reused where it is. An interruption leaves the WIM as it was.
 */
export async function updateImage(path: string, image: number | string, commands: UpdateCommand[], pool: WorkerPool, ctx: OperationContext): Promise<UpdateReport> {
  const started = performance.now()
  const file = resolve(path)
  const archive = await WimArchive.open(file)
  try {
    if (archive.parts.length > 1) throw new AppError('UNSUPPORTED', `${file} is a split WIM: join it first`, { file })
    if (commands.length === 0) throw new AppError('VALIDATION', 'Nothing to do: give --add, --delete or --rename')
    const index = archive.resolveImage(image)
    ctx.phase('edit')
    const tree = await archive.readImageTree(index)
    const oldRefs = new Map<string, number>()
    countReferences(tree, oldRefs)
    const scans: ScannedTree[] = []
    for (const command of commands) {
      ctx.log('info', command.kind === 'add' ? `add ${command.source} -> ${command.dest}` : command.kind === 'delete' ? `delete ${command.path}` : `rename ${command.from} -> ${command.to}`)
      await applyCommand(tree, command, scans, ctx.signal)
    }

    const header = archive.header
    const known = new Map<string, StoredBlob>()
    for (const blob of archive.blobs.values()) known.set(blob.hash, storedFromArchive(blob))
    const solid = [...archive.blobs.values()].some((b) => b.location.kind === 'solid')
    const writer = await WimWriter.append(
      file,
      archive.parts[0]!.reader.size,
      writerSettings({ compression: header.compression, chunkSize: header.chunkSize, solid }, pool, ctx),
      known.values(),
    )
    try {
      const merged = { files: scans.flatMap((s) => s.files), reparseData: new Map(scans.flatMap((s) => [...s.reparseData])) }
      const stored = await storeScannedContents(merged, writer, known, { pool, ctx, solid })
      ctx.phase('finish')
      const metadata = await writer.writeMetadata(tree)
      const xml: XmlElement = structuredClone(archive.info.root)
      refreshImageElement(imageElements(xml)[index - 1]!, imageStats(tree, (hash) => writer.stored.get(hash)?.size ?? known.get(hash)!.size))
      const baseRefs = new Map<string, number>()
      for (const blob of archive.blobs.values()) baseRefs.set(blob.hash, blob.refCount - (oldRefs.get(blob.hash) ?? 0))
      await writer.commit({
        images: archive.metadata.map((m, i) => (i + 1 === index ? { metadata, tree } : { metadata: storedFromArchive(m) })),
        xml,
        baseRefs,
        bootIndex: header.bootIndex,
        integrity: header.integrity.sizeInWim > 0,
        guid: header.guid,
        extraFlags: header.flags & HeaderFlag.RP_FIX,
      })
      return { wim: file, image: index, commands: commands.length, ...stored, wimBytes: (await stat(file)).size, seconds: (performance.now() - started) / 1000 }
    } catch (error) {
      await writer.abort()
      throw error
    }
  } finally {
    await archive.close()
  }
}
