import { formatBytes } from '../../shared/format'
import type { MediaInspection } from '../../shared/media'
import { unattendArchitecturesOf } from '../windows/unattend'
import { FAT32_MAX_FILE } from './install-image'
import { defaultMediaLabel } from './media-label'
import { openMediaSource, type MediaSource } from './media-source'
import { inspectWindowsMedia, type WindowsMedia } from './windows-media'

/** The answer file Windows Setup looks for at the root of the medium it starts from. */
export const ANSWER_FILE_PATH = 'autounattend.xml'

/** Everything a technician should see about a source before choosing editions and a target. */
export async function describeMediaSource(path: string, source: MediaSource, media: WindowsMedia): Promise<MediaInspection> {
  let fileCount = 0
  let totalBytes = 0
  for await (const entry of source.tree.walk()) {
    if (entry.isDirectory) continue
    fileCount++
    totalBytes += entry.size
  }
  const installBytes = media.install.files.reduce((sum, f) => sum + f.size, 0)
  const notes: string[] = []
  if (media.uefi.length === 0) notes.push('It has no UEFI loader (efi/boot/boot*.efi): only BIOS machines can start it, from the MBR layout.')
  if (!media.bios) notes.push('It has no bootmgr at its root: BIOS machines cannot start it; UEFI machines can.')
  const tooLarge = media.install.files.find((f) => f.size > FAT32_MAX_FILE)
  if (tooLarge) {
    notes.push(`${tooLarge.path} is ${formatBytes(tooLarge.size)}, more than a FAT32 file can hold: it is split into install.swm parts, which Windows Setup reads (keeping fewer editions can avoid that).`)
  }
  if (media.install.format === 'esd') notes.push('Its install image is an ESD: keeping only some editions converts them into an install.wim (LZX), which takes a while and more space.')
  return {
    source: path,
    sourceKind: source.kind,
    description: source.tree.description,
    volumeLabel: source.volumeLabel,
    defaultLabel: defaultMediaLabel(source.volumeLabel),
    install: { format: media.install.format, files: media.install.files, bytes: installBytes },
    bootWim: media.bootWim,
    uefi: media.uefi,
    bios: media.bios,
    editions: media.editions,
    architectures: answerFileArchitectures(media, notes),
    fileCount,
    totalBytes,
    hasAnswerFile: (await source.tree.stat(ANSWER_FILE_PATH)) !== null,
    notes,
  }
}

function answerFileArchitectures(media: WindowsMedia, notes: string[]): MediaInspection['architectures'] {
  try {
    return unattendArchitecturesOf(media.editions)
  } catch (error) {
    notes.push(`${(error as Error).message}; an answer file must name its architecture.`)
    return []
  }
}

/** media.inspect: opens the source, recognises Windows media in it and describes it. */
export async function inspectMedia(path: string): Promise<MediaInspection> {
  const source = await openMediaSource(path)
  try {
    return await describeMediaSource(path, source, await inspectWindowsMedia(source.tree))
  } finally {
    await source.tree.close()
  }
}
