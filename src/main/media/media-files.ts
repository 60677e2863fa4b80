import type { FatSourceEntry, PositionalContents } from '../fs/fat32'
import type { SourceTree } from '../fs/source-tree'
import { BytesReader } from '../io/random-access'
import { ANSWER_FILE_PATH } from './inspect-media'
import type { PreparedInstall } from './install-image'

/** A file the medium holds, and where its bytes come from: opened once to write it, and again to check the medium against it. */
export interface MediaFile {
  path: string
  size: number
  open(): Promise<PositionalContents>
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
 * source had). Every file is read at positions, so the writer reads it straight into the
 * blocks it writes, and verification can read it again beside what the medium returns.
 */
export async function mediaContents(source: SourceTree, install: PreparedInstall, answerFile: string | null): Promise<MediaContents> {
  const entries: FatSourceEntry[] = []
  const files: MediaFile[] = []
  const addFile = (path: string, size: number, modified: Date | undefined, open: () => Promise<PositionalContents>) => {
    files.push({ path, size, open })
    entries.push({ path, kind: 'file', size, ...(modified ? { modified } : {}), open })
  }
  for await (const entry of source.walk()) {
    const modified = entry.modified ?? undefined
    if (entry.isDirectory) {
      entries.push({ path: entry.path, kind: 'directory', ...(modified ? { modified } : {}) })
      continue
    }
    if (isInstallImage(entry.path) || (answerFile !== null && entry.path.toLowerCase() === ANSWER_FILE_PATH)) continue
    addFile(entry.path, entry.size, modified, () => source.open(entry.path))
  }
  for (const file of install.files) addFile(`sources/${file.name}`, file.size, undefined, file.open)
  if (answerFile !== null) {
    const bytes = new TextEncoder().encode(answerFile)
    addFile(ANSWER_FILE_PATH, bytes.length, undefined, async () => new BytesReader(ANSWER_FILE_PATH, bytes))
  }
  return { entries, files, bytes: files.reduce((sum, f) => sum + f.size, 0) }
}
