/** Numbers of the WIM format, as Microsoft's tools and wimlib write them. */

export const WIM_MAGIC = 'MSWIM\0\0\0'
/** wimlib's pipable WIM variant: a different layout we do not read. */
export const PIPABLE_WIM_MAGIC = 'WLPWM\0\0\0'
export const WIM_HEADER_SIZE = 208

export const WIM_VERSION_DEFAULT = 0x10d00
/** Solid resources (ESD) and LZMS need this version. */
export const WIM_VERSION_SOLID = 0xe00

export const HeaderFlag = {
  RESERVED: 0x00000001,
  COMPRESSION: 0x00000002,
  READONLY: 0x00000004,
  SPANNED: 0x00000008,
  RESOURCE_ONLY: 0x00000010,
  METADATA_ONLY: 0x00000020,
  WRITE_IN_PROGRESS: 0x00000040,
  RP_FIX: 0x00000080,
  COMPRESS_RESERVED: 0x00010000,
  COMPRESS_XPRESS: 0x00020000,
  COMPRESS_LZX: 0x00040000,
  COMPRESS_LZMS: 0x00080000,
  COMPRESS_XPRESS_2: 0x00200000,
} as const

export const ResourceFlag = {
  FREE: 0x01,
  METADATA: 0x02,
  COMPRESSED: 0x04,
  SPANNED: 0x08,
  SOLID: 0x10,
} as const

/** Marks the blob-table entry that describes a solid resource rather than a blob. */
export const SOLID_RESOURCE_MAGIC = 0x100000000

export const RESOURCE_HEADER_SIZE = 24
export const BLOB_TABLE_ENTRY_SIZE = 50
export const SOLID_HEADER_SIZE = 16
export const SHA1_SIZE = 20

export type Compression = 'none' | 'xpress' | 'lzx' | 'lzms'

/** The chunk size each compression uses unless asked otherwise (LZX needs 32 KiB for Microsoft's tools). */
export const DEFAULT_CHUNK_SIZE: Record<Compression, number> = { none: 32768, xpress: 32768, lzx: 32768, lzms: 131072 }

/** wimlib's solid chunk size: large chunks are what make ESD files small. */
export const SOLID_CHUNK_SIZE = 64 * 1024 * 1024

/** Compression format numbers of solid-resource headers (the same as WIMGAPI's). */
export const COMPRESSION_FORMAT_NUMBERS: readonly Compression[] = ['none', 'xpress', 'lzx', 'lzms']

export const FileAttribute = {
  READONLY: 0x1,
  HIDDEN: 0x2,
  SYSTEM: 0x4,
  DIRECTORY: 0x10,
  ARCHIVE: 0x20,
  DEVICE: 0x40,
  NORMAL: 0x80,
  TEMPORARY: 0x100,
  SPARSE_FILE: 0x200,
  REPARSE_POINT: 0x400,
  COMPRESSED: 0x800,
  OFFLINE: 0x1000,
  NOT_CONTENT_INDEXED: 0x2000,
  ENCRYPTED: 0x4000,
} as const

export const ReparseTag = {
  MOUNT_POINT: 0xa0000003,
  SYMLINK: 0xa000000c,
} as const
