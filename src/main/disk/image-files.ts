import { mkdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Drive } from '../../shared/drives'
import { AppError } from '../../shared/errors'

const PREFIX = 'file:'

export function imageFileId(path: string): string {
  return PREFIX + resolve(path)
}

/** An image file as a target: what exists on disk now, or a file the write will create. */
export function describeImageFile(path: string): Drive {
  let sizeBytes: number | null = null
  let exists = false
  try {
    const st = statSync(path)
    exists = true
    sizeBytes = st.size
  } catch {
    // A new file: created (and sized) by the operation that writes it.
  }
  return {
    id: imageFileId(path),
    kind: 'image-file',
    device: path,
    description: exists ? 'Image file' : 'Image file (will be created)',
    sizeBytes,
    bus: null,
    isRemovable: false,
    isUSB: false,
    isReadOnly: false,
    isVirtual: false,
    isSystem: false,
    systemReason: null,
    partitionTable: null,
    volumes: [],
    exists,
  }
}

/** Checks that a path can be an image-file target: a regular file, or a new name in a folder. */
export function checkImageFilePath(path: string): void {
  const full = resolve(path)
  if (full.startsWith('/dev/') || full.startsWith('\\\\.\\')) {
    throw new AppError('UNSAFE_TARGET', `${full} is a device, not an image file: choose it from the drive list`, { path: full })
  }
  try {
    const st = statSync(full)
    if (!st.isFile()) throw new AppError('VALIDATION', `${full} exists and is not a regular file`, { path: full })
    return
  } catch (error) {
    if (error instanceof AppError) throw error
  }
  try {
    if (!statSync(dirname(full)).isDirectory()) throw new Error('not a directory')
  } catch {
    throw new AppError('NOT_FOUND', `Folder ${dirname(full)} does not exist`, { path: full })
  }
}

/** The image files the user registered as targets, kept across runs in the data folder. */
export class ImageFileRegistry {
  private readonly paths: string[]
  private readonly file: string

  constructor(dataDir: string) {
    this.file = join(dataDir, 'image-targets.json')
    this.paths = this.load()
  }

  list(): Drive[] {
    return this.paths.map(describeImageFile)
  }

  add(path: string): Drive {
    checkImageFilePath(path)
    const full = resolve(path)
    if (!this.paths.includes(full)) {
      this.paths.push(full)
      this.save()
    }
    return describeImageFile(full)
  }

  remove(id: string): void {
    const index = this.paths.findIndex((p) => imageFileId(p) === id)
    if (index < 0) throw new AppError('NOT_FOUND', `No registered image file with id ${id}`, { id })
    this.paths.splice(index, 1)
    this.save()
  }

  private load(): string[] {
    try {
      const data: unknown = JSON.parse(readFileSync(this.file, 'utf8'))
      return Array.isArray(data) ? data.filter((p): p is string => typeof p === 'string') : []
    } catch {
      return []
    }
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true })
    const temp = `${this.file}.tmp`
    writeFileSync(temp, JSON.stringify(this.paths, null, 2))
    renameSync(temp, this.file)
  }
}
