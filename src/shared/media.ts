/**
 * Windows installation media: what a source (an ISO or a folder) holds, and what a technician
 * asks of the stick or image file made from it.
 */
import type { UnattendArchitecture, UnattendOptions } from './unattend'
import type { WimImageSummary } from './wim'

/** GPT + FAT32 boots UEFI machines; MBR + FAT32 (active, with boot code) boots BIOS and UEFI. */
export const MEDIA_LAYOUTS = ['usb-uefi', 'usb-bios-uefi'] as const
export type MediaLayout = (typeof MEDIA_LAYOUTS)[number]

/** The largest file FAT32 holds (4 GiB − 1): a larger install image is split into .swm parts. */
export const FAT32_MAX_FILE_BYTES = 4 * 1024 ** 3 - 1

/** A FAT volume label holds 11 characters. */
export const MAX_MEDIA_LABEL_LENGTH = 11

/** What the operation that makes media carries: the same fields confirm it and carry it out. */
export interface MediaOptions {
  /** An ISO file or a folder (an extracted or mounted ISO). */
  source: string
  layout: MediaLayout
  /** Editions to keep (indexes or names); all when absent. */
  editions?: Array<number | string>
  /** Written as autounattend.xml at the root of the medium. */
  unattend?: UnattendOptions
  /** FAT volume label; by default from the ISO's label. */
  label?: string
  /** Largest part when the install image is split (MiB); just under FAT32's 4 GiB by default. */
  splitMiB?: number
}

export interface MediaInspection {
  source: string
  sourceKind: 'iso' | 'folder'
  /** "ISO image /x/win11.iso (UDF 1.02)". */
  description: string
  /** The ISO's volume label, or null for a folder. */
  volumeLabel: string | null
  /** The label the medium gets unless told otherwise. */
  defaultLabel: string
  install: { format: 'wim' | 'esd' | 'swm'; files: Array<{ path: string; size: number }>; bytes: number }
  bootWim: string | null
  uefi: Array<'x64' | 'arm64' | 'ia32'>
  /** bootmgr at the root: BIOS machines can start Setup (with the usb-bios-uefi layout). */
  bios: boolean
  editions: WimImageSummary[]
  /** The answer-file architectures the editions need. */
  architectures: UnattendArchitecture[]
  fileCount: number
  /** Every file of the source, in bytes. */
  totalBytes: number
  /** The source already has an autounattend.xml (one written by the app replaces it). */
  hasAnswerFile: boolean
  /** Things a technician should know before writing (no UEFI loader, an install image too large for FAT32, ...). */
  notes: string[]
}

/** What a finished media job reports, beside the drive result. */
export interface MediaSummary {
  files: number
  bytes: number
  /** What was done to the install image, in words. */
  installImage: string
  answerFile: boolean
}
