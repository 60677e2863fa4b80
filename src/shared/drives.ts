import type { MediaOptions } from './media'

export type PartitionTableType = 'gpt' | 'mbr'

export interface Volume {
  mountpoint: string
  label: string | null
  sizeBytes: number | null
  freeBytes: number | null
}

/** A write target: a whole physical disk, or an image file (always a valid target). */
export interface Drive {
  /** Stable id: the device path for a disk, `file:` + absolute path for an image file. */
  id: string
  kind: 'disk' | 'image-file'
  /** /dev/sdb, \\.\PhysicalDrive1, /dev/disk4, or the image file's path. */
  device: string
  description: string
  sizeBytes: number | null
  /** USB, SATA, NVME, SCSI, VIRTIO, ... as the OS reports it; null when unknown. */
  bus: string | null
  isRemovable: boolean
  isUSB: boolean
  isReadOnly: boolean
  isVirtual: boolean
  /** The host system runs from this disk: it is never written. */
  isSystem: boolean
  /** Why isSystem is set, in words (e.g. "mounted at /"). */
  systemReason: string | null
  partitionTable: PartitionTableType | null
  volumes: Volume[]
  /** For image files: whether the file exists yet (a new file is created by the write). */
  exists: boolean
}

export type HotplugMode = 'usb-events' | 'polling'

export interface DriveListing {
  disks: Drive[]
  imageFiles: Drive[]
  hotplug: HotplugMode
  /** Milliseconds since the epoch of the last enumeration. */
  updatedAt: number
  /** Set when the OS enumeration failed; disks is then empty. */
  error: string | null
}

// ---- Writing drives: layouts, confirmation, results (issue 5) ----

export type LayoutKindName = 'uefi' | 'bios' | 'usb-uefi' | 'usb-bios-uefi'
export type RestoreFileSystem = 'fat32' | 'exfat'

/** One partition as people read it (JSON-safe: no bigint). */
export interface PartitionRow {
  index: number
  name: string
  role: 'esp' | 'msr' | 'windows' | 'recovery' | 'system' | 'data' | null
  startBytes: number
  sizeBytes: number
  typeLabel: string
  typeCode: string
  fileSystem: 'fat32' | 'ntfs' | 'none' | null
  flags: string[]
}

/** What a drive's or image file's partition table says. */
export interface DriveLayoutReport {
  target: string
  device: string
  sizeBytes: number
  sectorSize: number
  /** null: no partition table (blank, or a file system over the whole drive). */
  table: PartitionTableType | null
  /** GPT disk GUID, or the MBR disk signature as 8 hex digits. */
  diskId: string | null
  partitions: PartitionRow[]
  /** Problems found and worked around (a damaged GPT copy read from its backup). */
  warnings: string[]
}

/** What a destructive operation does; the same fields are sent again to carry it out. */
export type WriteOperation =
  | { kind: 'partition'; layout: LayoutKindName; label?: string }
  | { kind: 'restore'; fileSystem: RestoreFileSystem; label?: string }
  | { kind: 'writeImage'; image: string }
  | ({ kind: 'media' } & MediaOptions)

/**
 * What a drive was when the user confirmed it. Right before the first byte is written the
 * drive is identified again and every field must match: a stick swapped in the meantime
 * (same device path, another drive) is refused.
 */
export interface DriveIdentity {
  id: string
  kind: Drive['kind']
  device: string
  /** null: an image file that does not exist yet. */
  sizeBytes: number | null
  description: string
  /** Serial number where the OS gives it. */
  serial: string | null
  isRemovable: boolean
  /** OS facts that change when another medium takes the same name: disk sequence number, device number, inode. */
  fingerprint: Record<string, string>
}

/** The answer to drives.prepareWrite: everything the confirmation dialog must show. */
export interface WritePreparation {
  /** One-time token the destructive call must present; expires at expiresAt. */
  token: string
  expiresAt: number
  drive: Drive
  identity: DriveIdentity
  operation: WriteOperation
  /** Whether the written bytes are read back and compared (default: on for drives, off for image files). */
  verify: boolean
  /** Size of the image file to create, when the target does not exist yet. */
  createSizeBytes: number | null
  /** One line naming the drive: "SanDisk Ultra (/dev/sdb, 14.9 GiB)". */
  driveLabel: string
  /** What is there now and will be lost. */
  erases: {
    /** Sentences, e.g. "Everything on SanDisk Ultra (/dev/sdb, 14.9 GiB) is erased." */
    summary: string[]
    table: PartitionTableType | null
    partitions: PartitionRow[]
    volumes: Volume[]
  }
  /** What the drive holds afterwards, in words; a longer account has one sentence a line. */
  outcome: string
  /** Text the user must type to confirm (fixed disks), or null. */
  typedConfirmation: string | null
  warnings: string[]
}

export interface WriteConfirmation {
  token: string
  /** What the user typed, for drives that need a typed confirmation. */
  typed?: string
}

/** The result of a finished destructive job. */
export interface DriveWriteResult {
  target: string
  device: string
  operation: WriteOperation['kind']
  bytesWritten: number
  /** null: not verified (switched off). */
  verified: boolean | null
  /** What the drive now holds, in words. */
  holds: string
  layout: DriveLayoutReport | null
}
