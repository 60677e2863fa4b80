/**
 * The FSInfo sector: a hint of the free-cluster count and where to look for a free
 * cluster, so a driver need not scan the FAT when the volume is mounted.
 */
const LEAD_SIGNATURE = 0x41615252
const STRUCT_SIGNATURE = 0x61417272
const TRAIL_SIGNATURE = 0xaa550000
/** "Unknown" for both fields. */
export const FSINFO_UNKNOWN = 0xffffffff

export interface FsInfo {
  freeClusters: number
  nextFreeCluster: number
}

export function encodeFsInfo(info: FsInfo): Uint8Array {
  const bytes = new Uint8Array(512)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, LEAD_SIGNATURE, true)
  view.setUint32(484, STRUCT_SIGNATURE, true)
  view.setUint32(488, info.freeClusters, true)
  view.setUint32(492, info.nextFreeCluster, true)
  view.setUint32(508, TRAIL_SIGNATURE, true)
  return bytes
}

/** The hints, or undefined when the sector is not an FSInfo sector (the hints are then unknown). */
export function decodeFsInfo(bytes: Uint8Array): FsInfo | undefined {
  if (bytes.length < 512) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0, true) !== LEAD_SIGNATURE || view.getUint32(484, true) !== STRUCT_SIGNATURE || view.getUint32(508, true) !== TRAIL_SIGNATURE) return undefined
  return { freeClusters: view.getUint32(488, true), nextFreeCluster: view.getUint32(492, true) }
}
