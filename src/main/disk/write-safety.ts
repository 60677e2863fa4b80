/**
 * The rules every write to a drive obeys, in one place: partitioning, restoring, writing an
 * image, and later media creation and deployment all go through these. Pure functions over
 * what the OS reported, so each rule is tested on its own.
 *
 * 1. The disk the host runs from, and a read-only disk, are never written.
 * 2. A drive is written only after a confirmation issued for exactly that drive and that
 *    operation (see confirmations.ts).
 * 3. A fixed (non-removable) disk also needs its name typed: a technician in a hurry clicks
 *    through dialogs, but does not type "sda" by accident.
 * 4. Right before the first byte, the drive is identified again; any difference from what
 *    was confirmed (another stick under the same name, a resized image file) refuses the write.
 */
import { basename } from 'node:path'
import type { Drive, DriveIdentity } from '../../shared/drives'
import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'

/** "SanDisk Ultra (/dev/sdb, 14.9 GiB)": how every message names a drive. */
export function driveLabel(drive: Pick<Drive, 'description' | 'device' | 'sizeBytes' | 'kind'>): string {
  if (drive.kind === 'image-file') return `image file ${drive.device}${drive.sizeBytes === null ? '' : ` (${formatBytes(drive.sizeBytes)})`}`
  return `${drive.description} (${drive.device}, ${formatBytes(drive.sizeBytes)})`
}

/** Refuses a drive that must never be written, whatever was confirmed. */
export function assertWritable(drive: Drive): void {
  if (drive.isSystem) {
    throw new AppError(
      'UNSAFE_TARGET',
      `${driveLabel(drive)} is the disk this computer runs from (${drive.systemReason ?? 'system disk'}): it is never written. Choose a USB stick or an image file.`,
      { device: drive.device, reason: drive.systemReason ?? 'system disk' },
    )
  }
  if (drive.isReadOnly) {
    throw new AppError('UNSAFE_TARGET', `${driveLabel(drive)} is read-only (a write-protect switch on the stick or card?): nothing was written.`, {
      device: drive.device,
      reason: 'read-only',
    })
  }
}

/**
 * What the user must type to confirm a write, or null when a click is enough: the device's
 * short name (sdb, PhysicalDrive1, disk4) for a disk that does not say it is removable.
 */
export function typedConfirmationFor(drive: Drive): string | null {
  if (drive.kind !== 'disk' || drive.isRemovable) return null
  return basename(drive.device.replace(/\\/g, '/'))
}

export function assertTypedConfirmation(drive: Drive, expected: string | null, typed: string | undefined): void {
  if (expected === null) return
  if ((typed ?? '').trim() !== expected) {
    throw new AppError(
      'UNSAFE_TARGET',
      `${driveLabel(drive)} is a fixed disk: type its name "${expected}" to confirm that it may be erased${typed ? ` (you typed "${typed.trim()}")` : ''}. Nothing was written.`,
      { device: drive.device, reason: 'typed confirmation missing', expected },
    )
  }
}

const FIELD_NAMES: Record<string, string> = {
  device: 'device',
  kind: 'kind',
  sizeBytes: 'size',
  description: 'model',
  serial: 'serial number',
  isRemovable: 'removable',
}

function show(field: string, value: unknown): string {
  if (value === null || value === undefined) return field === 'sizeBytes' ? 'no file' : 'unknown'
  if (field === 'sizeBytes') return `${formatBytes(value as number)} (${String(value)} bytes)`
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  return String(value)
}

/** The differences between two identities, in words ("size was 14.9 GiB, now 29.8 GiB"). */
export function identityDifferences(confirmed: DriveIdentity, current: DriveIdentity): string[] {
  const differences: string[] = []
  for (const field of Object.keys(FIELD_NAMES) as Array<keyof typeof FIELD_NAMES & keyof DriveIdentity>) {
    const was = confirmed[field]
    const now = current[field]
    if (was !== now) differences.push(`${FIELD_NAMES[field]} was ${show(field, was)}, now ${show(field, now)}`)
  }
  for (const key of new Set([...Object.keys(confirmed.fingerprint), ...Object.keys(current.fingerprint)])) {
    const was = confirmed.fingerprint[key]
    const now = current.fingerprint[key]
    if (was !== now) differences.push(`${key} was ${was ?? 'absent'}, now ${now ?? 'absent'}`)
  }
  return differences
}

/** Refuses the write when the drive is not the one that was confirmed. */
export function assertSameDrive(confirmed: DriveIdentity, current: DriveIdentity | null): void {
  if (current === null) {
    throw new AppError(
      'UNSAFE_TARGET',
      `${confirmed.description} (${confirmed.device}) is no longer there (unplugged?). Nothing was written: plug it in and choose it again.`,
      { device: confirmed.device, reason: 'drive gone' },
    )
  }
  const differences = identityDifferences(confirmed, current)
  if (differences.length > 0) {
    throw new AppError(
      'UNSAFE_TARGET',
      `${confirmed.device} is not the drive you confirmed (${differences.join('; ')}). Was the stick swapped? Nothing was written: choose the drive again.`,
      { device: confirmed.device, reason: 'identity changed', differences },
    )
  }
}
