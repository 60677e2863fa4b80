import { AppError } from '../../shared/errors'

/**
 * What a media builder copies from: a Windows ISO read by our own ISO 9660 / UDF readers, or a
 * folder (an extracted or mounted ISO). Both offer the same listing, lookup and positional
 * reads, so the builder and the WIM engine never care which one they were given.
 *
 * Names coming out of a source tree have been checked with `unsafeWindowsNameReason`: a copier can
 * join them under its target folder without further checks.
 */
export interface SourceEntry {
  /** '/'-separated path relative to the root, names as stored; '' for the root itself. */
  path: string
  name: string
  isDirectory: boolean
  /** Bytes of file content; 0 for a directory. */
  size: number
  modified: Date | null
}

/** An open file: positional reads anywhere in it, as the WIM reader needs. */
export interface SourceFile {
  readonly size: number
  /** Reads up to buffer.length bytes at position; fewer only at the end of the file (0 past it). */
  read(buffer: Uint8Array, position: number): Promise<number>
  close(): Promise<void>
}

export interface SourceTree {
  /** For errors and logs, e.g. "ISO image /x/win11.iso (UDF 1.02)". */
  readonly description: string
  /** Every entry below the root, depth-first, a directory before its contents, siblings in name order. */
  walk(): AsyncIterable<SourceEntry>
  /** The entry at a path ('/' or '\\' separated, case-insensitive), or null if there is none. */
  stat(path: string): Promise<SourceEntry | null>
  open(path: string): Promise<SourceFile>
  /** The file's content in chunks of at most `chunkBytes` (1 MiB by default, 16 MiB at most); each chunk is a fresh buffer. */
  stream(path: string, chunkBytes?: number): AsyncIterable<Uint8Array>
  close(): Promise<void>
}

export const STREAM_CHUNK_BYTES = 1 << 20
/** Streams keep memory bounded: a chunk is one buffer, so its size is capped. */
export const MAX_STREAM_CHUNK_BYTES = 16 << 20

/** Refuses a read position that is not a byte offset (Node would read a negative one as "current"). */
export function checkReadPosition(position: number, where: string): void {
  if (!Number.isSafeInteger(position) || position < 0) throw new AppError('VALIDATION', `Bad read position ${position} in ${where}`, { path: where })
}

/** Reads an open file front to back in fresh chunks, and closes it when done or abandoned. */
export async function* streamFile(file: SourceFile, chunkBytes = STREAM_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  try {
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_STREAM_CHUNK_BYTES) {
      throw new AppError('VALIDATION', `Chunk size must be 1 to ${MAX_STREAM_CHUNK_BYTES} bytes, got ${chunkBytes}`)
    }
    for (let position = 0; position < file.size; ) {
      const chunk = new Uint8Array(Math.min(chunkBytes, file.size - position))
      const got = await file.read(chunk, position)
      if (got !== chunk.length) throw new AppError('IO', `Short read: ${got} of ${chunk.length} bytes at ${position}`, { offset: position })
      position += got
      yield chunk
    }
  } finally {
    await file.close()
  }
}

/**
 * The names of a relative path. Both separators are accepted (technicians type Windows paths);
 * '.' and '..' are refused rather than resolved, so a path can never climb out of the tree.
 */
export function splitSourcePath(path: string): string[] {
  const names = path.split(/[/\\]/).filter((name) => name !== '')
  for (const name of names) {
    if (name === '.' || name === '..' || name.includes('\0')) {
      throw new AppError('VALIDATION', `Path ${JSON.stringify(path)} must not contain '.', '..' or NUL`, { path })
    }
  }
  return names
}

/**
 * Depth-first pre-order over a tree whose `children` returns siblings already in order; an
 * explicit stack, so depth costs memory, not call stack.
 */
export async function* depthFirst<T>(
  children: (parent: T | null) => Promise<readonly T[]>,
  isDirectory: (item: T) => boolean,
): AsyncGenerator<T> {
  const stack: T[][] = [[...(await children(null))].reverse()]
  while (stack.length > 0) {
    const item = stack[stack.length - 1].pop()
    if (item === undefined) {
      stack.pop()
      continue
    }
    yield item
    if (isDirectory(item)) stack.push([...(await children(item))].reverse())
  }
}
