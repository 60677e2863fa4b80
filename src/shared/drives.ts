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
