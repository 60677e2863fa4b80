/** What the WIM operations return: shared by the service, the CLI and the UI. */

export type WimCompression = 'none' | 'xpress' | 'lzx' | 'lzms'

export interface WimImageSummary {
  index: number
  name: string | null
  description: string | null
  displayName: string | null
  displayDescription: string | null
  flags: string | null
  editionId: string | null
  productName: string | null
  installationType: string | null
  productType: string | null
  architecture: string | null
  version: string | null
  build: number | null
  languages: string[]
  defaultLanguage: string | null
  dirCount: number | null
  fileCount: number | null
  totalBytes: number | null
  hardLinkBytes: number | null
  creationTime: string | null
  lastModificationTime: string | null
}

export interface WimSummary {
  path: string
  /** Every part of a split set, part 1 first. */
  parts: string[]
  sizeBytes: number
  guid: string
  version: number
  compression: WimCompression
  chunkSize: number
  solid: boolean
  partNumber: number
  totalParts: number
  imageCount: number
  bootIndex: number
  hasIntegrityTable: boolean
  readOnly: boolean
  images: WimImageSummary[]
  /** Oddities found while opening (skipped table entries, ...). */
  warnings: string[]
}

export interface WimDirEntry {
  /** Image path with backslashes, e.g. \Windows\System32\cmd.exe. */
  path: string
  name: string
  kind: 'directory' | 'file' | 'symlink' | 'reparse-point'
  size: number
  attributes: number
  /** Hidden, System, ReadOnly, ... as words. */
  attributeNames: string[]
  lastWriteTime: string | null
  creationTime: string | null
  /** Other names of the same file (hard links), if any. */
  linkCount: number
  namedStreams: string[]
  shortName: string
  /** The file's SHA-1, when it has contents. */
  hash: string | null
  linkTarget: string | null
}

/** Windows metadata the target file system could not hold, counted: never dropped silently. */
export interface UnrestoredMetadata {
  securityDescriptors: number
  namedStreams: number
  shortNames: number
  attributes: Record<string, number>
  otherReparsePoints: number
  encryptedFiles: number
}

export interface ApplyReport {
  wim: string
  image: number
  imageName: string | null
  target: string
  engine: string
  directories: number
  files: number
  hardLinks: number
  symlinks: number
  bytes: number
  seconds: number
  skipped: Array<{ path: string; reason: string }>
  skippedCount: number
  unrestored: UnrestoredMetadata
  warnings: string[]
}

export interface VerifyReport {
  wim: string
  blobs: number
  bytes: number
  /** Blobs whose data does not match its SHA-1, or could not be read. */
  failures: Array<{ blob: string; problem: string }>
  integrityTable: 'absent' | 'ok' | 'mismatch'
  integrityFailures: number[]
  seconds: number
}

export interface CaptureReport {
  wim: string
  mode: 'create' | 'append'
  image: number
  imageName: string
  compression: WimCompression
  solid: boolean
  directories: number
  files: number
  hardLinks: number
  symlinks: number
  /** Bytes of file contents in the captured folder (each file once). */
  dataBytes: number
  /** Distinct contents stored by this capture, and contents the WIM already held. */
  newBlobs: number
  reusedBlobs: number
  /** Size of the WIM file when done. */
  wimBytes: number
  excluded: string[]
  excludedCount: number
  skipped: Array<{ path: string; reason: string }>
  seconds: number
}

export interface ExportReport {
  source: string
  dest: string
  mode: 'create' | 'append'
  images: Array<{ sourceIndex: number; destIndex: number; name: string | null }>
  compression: WimCompression
  solid: boolean
  /** Blobs copied as stored (no recompression), decompressed and stored again, or already in the target. */
  copiedBlobs: number
  recompressedBlobs: number
  reusedBlobs: number
  wimBytes: number
  seconds: number
}

export interface UpdateReport {
  wim: string
  image: number
  commands: number
  newBlobs: number
  reusedBlobs: number
  wimBytes: number
  seconds: number
}

export interface SplitReport {
  parts: Array<{ path: string; bytes: number }>
  /** Blobs too large for one part, each given a part of its own. */
  oversized: number
  seconds: number
}

export interface OptimizeReport {
  wim: string
  bytesBefore: number
  bytesAfter: number
  seconds: number
}
