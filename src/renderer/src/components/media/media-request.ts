import type { Drive } from '../../../../shared/drives'
import type { RequestedWriteOperation } from '../../../../shared/drive-writes'
import type { MediaInspection, MediaLayout } from '../../../../shared/media'
import type { UnattendOptionsInput } from '../../../../shared/unattend'

const GiB = 1024 ** 3

/** What the technician chose in the steps before the review. */
export interface MediaChoices {
  inspection: MediaInspection
  /** Indexes of the editions kept. */
  editions: number[]
  target: Drive
  /** For a new image file: null sizes it to fit. */
  sizeGiB: number | null
  layout: MediaLayout
  label: string
  unattend: UnattendOptionsInput | undefined
  verify: boolean
}

/** The request drives.prepareWrite confirms and media.create then carries out, unchanged. */
export interface MediaRequest {
  target: string
  verify: boolean
  createSizeBytes?: number
  operation: RequestedWriteOperation
}

export function mediaRequest(c: MediaChoices): MediaRequest {
  const keepsAll = c.editions.length === c.inspection.editions.length
  const label = c.label.trim()
  const operation: RequestedWriteOperation = {
    kind: 'media',
    source: c.inspection.source,
    layout: c.layout,
    // Every edition kept: the engine copies the install image as it is instead of exporting it.
    ...(keepsAll ? {} : { editions: c.editions }),
    ...(label && label !== c.inspection.defaultLabel ? { label } : {}),
    ...(c.unattend ? { unattend: c.unattend } : {}),
  }
  const newFile = c.target.kind === 'image-file' && !c.target.exists
  return {
    target: c.target.id,
    verify: c.verify,
    ...(newFile && c.sizeGiB !== null ? { createSizeBytes: Math.round(c.sizeGiB * GiB) } : {}),
    operation,
  }
}

/** The layout to offer first: GPT unless the source cannot start on UEFI machines. */
export function defaultLayout(inspection: MediaInspection): MediaLayout {
  return inspection.uefi.length === 0 && inspection.bios ? 'usb-bios-uefi' : 'usb-uefi'
}

/** Why a layout cannot be made from this source, or null when it can. */
export function layoutBlockedReason(layout: MediaLayout, inspection: MediaInspection): string | null {
  if (layout === 'usb-bios-uefi' && !inspection.bios) return 'The source has no bootmgr at its root: BIOS machines could not start Setup from it.'
  if (layout === 'usb-uefi' && inspection.uefi.length === 0) return 'The source has no UEFI loader (efi/boot/boot*.efi): no UEFI machine could start it.'
  return null
}

/** Drives in the order a technician looks for a stick: USB, then other removable, then fixed; unwritable ones last. */
export function orderTargets(disks: Drive[], blocked: (drive: Drive) => string | null): Drive[] {
  const rank = (d: Drive): number => (blocked(d) ? 3 : d.isUSB ? 0 : d.isRemovable ? 1 : 2)
  return [...disks].sort((a, b) => rank(a) - rank(b) || a.device.localeCompare(b.device, undefined, { numeric: true }))
}
