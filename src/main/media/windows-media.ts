import { AppError } from '../../shared/errors'
import type { WimImageSummary } from '../../shared/wim'
import type { SourceTree } from '../fs/source-tree'
import type { RandomAccessReader } from '../io/random-access'
import { WimArchive } from '../wim/archive'

export type InstallFormat = 'wim' | 'esd' | 'swm'

/** What makes a Windows installation medium, found in an ISO or a folder. */
export interface WindowsMedia {
  /** The install image: one WIM or ESD file, or every part of a split set, part 1 first. */
  install: { format: InstallFormat; files: Array<{ path: string; size: number }> }
  bootWim: string | null
  /** UEFI loaders present (efi/boot/bootx64.efi, ...), by architecture. */
  uefi: Array<'x64' | 'arm64' | 'ia32'>
  /** bootmgr at the root: the BIOS path of Windows Setup. */
  bios: boolean
  editions: WimImageSummary[]
}

const UEFI_LOADERS: Array<[string, WindowsMedia['uefi'][number]]> = [
  ['efi/boot/bootx64.efi', 'x64'],
  ['efi/boot/bootaa64.efi', 'arm64'],
  ['efi/boot/bootia32.efi', 'ia32'],
]

/** A file inside a source tree as the WIM reader wants it. */
async function readerFor(source: SourceTree, path: string): Promise<RandomAccessReader> {
  const file = await source.open(path)
  return { name: `${source.description}: ${path}`, size: file.size, read: (b, p) => file.read(b, p), close: () => file.close() }
}

/** Opens the install image inside the tree (all parts of a split set) with the WIM engine. */
export async function openInstallImage(source: SourceTree, media: Pick<WindowsMedia, 'install'>): Promise<WimArchive> {
  const readers: RandomAccessReader[] = []
  try {
    for (const file of media.install.files) readers.push(await readerFor(source, file.path))
    return await WimArchive.fromReaders(readers)
  } catch (error) {
    await Promise.all(readers.map((r) => r.close()))
    throw error
  }
}

async function findInstallImage(source: SourceTree): Promise<WindowsMedia['install'] | null> {
  for (const format of ['wim', 'esd'] as const) {
    const entry = await source.stat(`sources/install.${format}`)
    if (entry && !entry.isDirectory) return { format, files: [{ path: entry.path, size: entry.size }] }
  }
  const first = await source.stat('sources/install.swm')
  if (!first) return null
  // Parts are install.swm, install2.swm, ... in the same folder; their headers decide the order.
  const parts: Array<{ path: string; size: number; n: number }> = []
  for await (const entry of source.walk()) {
    const match = /^sources\/install(\d*)\.swm$/i.exec(entry.path)
    if (match && !entry.isDirectory) parts.push({ path: entry.path, size: entry.size, n: match[1] ? Number(match[1]) : 1 })
  }
  parts.sort((a, b) => a.n - b.n)
  return { format: 'swm', files: parts.map((p) => ({ path: p.path, size: p.size })) }
}

/**
 * Recognises Windows installation media and reads its editions through the WIM engine. A
 * tree without an install image is refused with a message that says what was looked for.
 */
export async function inspectWindowsMedia(source: SourceTree): Promise<WindowsMedia> {
  const install = await findInstallImage(source)
  if (!install) {
    throw new AppError('VALIDATION', `${source.description} is not Windows installation media: it has no sources/install.wim, install.esd or install.swm`, {
      source: source.description,
    })
  }
  const uefi: WindowsMedia['uefi'] = []
  for (const [path, arch] of UEFI_LOADERS) if (await source.stat(path)) uefi.push(arch)
  const bootWim = (await source.stat('sources/boot.wim'))?.path ?? null
  const bios = (await source.stat('bootmgr')) !== null
  const archive = await openInstallImage(source, { install })
  try {
    return { install, bootWim, uefi, bios, editions: archive.images }
  } finally {
    await archive.close()
  }
}
