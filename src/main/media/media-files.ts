import { createHash } from 'node:crypto'
import type { FatSourceEntry, FileContents } from '../fs/fat32'
import type { SourceTree } from '../fs/source-tree'
import { ANSWER_FILE_PATH } from './inspect-media'
import type { PreparedInstall } from './install-image'

/** Source files larger than this are read in chunks of it: big enough for a fast stream, small enough to bound memory. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024

/** A file the medium holds, with the SHA-256 of what was written once the writer has streamed it. */
export interface MediaFile {
  path: string
  size: number
  sha256: string | null
}

export interface MediaContents {
  entries: FatSourceEntry[]
  files: MediaFile[]
  /** Bytes of file contents. */
  bytes: number
}

/** The install image's own files in sources/: replaced by the prepared ones (exported or split). */
function isInstallImage(path: string): boolean {
  return /^sources\/install\d*\.(wim|esd|swm)$/i.test(path)
}

/**
 * Everything the medium holds, as the FAT32 writer takes it: the source's folders and files
 * with their dates, the install image as prepared, and our answer file (replacing one the
 * source had). Each file's contents are hashed as the writer streams them, so the medium
 * can be checked against exactly what was written without reading the source twice.
 */
export async function mediaContents(source: SourceTree, install: PreparedInstall, answerFile: string | null): Promise<MediaContents> {
  const entries: FatSourceEntry[] = []
  const files: MediaFile[] = []
  const addFile = (path: string, size: number, modified: Date | undefined, open: () => FileContents) => {
    const file: MediaFile = { path, size, sha256: null }
    files.push(file)
    entries.push({ path, kind: 'file', size, ...(modified ? { modified } : {}), open: () => hashed(open(), file) })
  }
  for await (const entry of source.walk()) {
    const modified = entry.modified ?? undefined
    if (entry.isDirectory) {
      entries.push({ path: entry.path, kind: 'directory', ...(modified ? { modified } : {}) })
      continue
    }
    if (isInstallImage(entry.path) || (answerFile !== null && entry.path.toLowerCase() === ANSWER_FILE_PATH)) continue
    addFile(entry.path, entry.size, modified, () => source.stream(entry.path, READ_CHUNK_BYTES))
  }
  for (const file of install.files) addFile(`sources/${file.name}`, file.size, undefined, file.open)
  if (answerFile !== null) {
    const bytes = new TextEncoder().encode(answerFile)
    addFile(ANSWER_FILE_PATH, bytes.length, undefined, () => [bytes])
  }
  return { entries, files, bytes: files.reduce((sum, f) => sum + f.size, 0) }
}

async function* hashed(contents: FileContents, file: MediaFile): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256')
  for await (const chunk of contents) {
    hash.update(chunk)
    yield chunk
  }
  file.sha256 = hash.digest('hex')
}
