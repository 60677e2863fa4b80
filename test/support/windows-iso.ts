import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateBytes } from '../../src/main/jobs/tasks'
import { toolPath } from './tools'
import { textBytes, wimlib, wimlibAppend, wimlibCapture, type WimlibCaptureOptions } from './wim-fixtures'

export interface WindowsLikeOptions {
  /** Edition names; each gets its own image (sharing most files). */
  editions?: string[]
  compress?: WimlibCaptureOptions['compress']
  solid?: boolean
  /** Bytes of incompressible data in each edition (to make the install image large). */
  payloadBytes?: number
  /** An EFI loader to place at efi/boot/bootx64.efi (e.g. a GRUB payload); a stand-in otherwise. */
  efiLoader?: Uint8Array
  /** A program to place at /bootmgr (e.g. a stand-in that reports how it was started); random bytes otherwise. */
  bootmgr?: Uint8Array
  /** WIM XML properties set on every edition, as Microsoft's images carry them (WINDOWS/ARCH=9 for x64, ...). */
  imageProperties?: Record<string, string>
}

/**
 * The shape of Windows installation media, small: bootmgr, boot/ and efi/ folders, a
 * boot.wim and an install image with several editions made by wimlib-imagex.
 */
export function buildWindowsLikeTree(root: string, options: WindowsLikeOptions = {}): void {
  const editions = options.editions ?? ['Windows 11 Home', 'Windows 11 Pro', 'Windows 11 Education']
  const work = join(root, '..', `${root.split('/').pop()}-work`)
  mkdirSync(join(root, 'sources'), { recursive: true })
  mkdirSync(join(root, 'boot', 'en-us'), { recursive: true })
  mkdirSync(join(root, 'efi', 'boot'), { recursive: true })
  mkdirSync(join(root, 'efi', 'microsoft', 'boot'), { recursive: true })
  writeFileSync(join(root, 'bootmgr'), options.bootmgr ?? generateBytes(101, 400_000))
  writeFileSync(join(root, 'bootmgr.efi'), generateBytes(102, 300_000))
  writeFileSync(join(root, 'setup.exe'), generateBytes(103, 100_000))
  writeFileSync(join(root, 'boot', 'bcd'), generateBytes(104, 16_384))
  writeFileSync(join(root, 'boot', 'en-us', 'bootsect.exe.mui'), textBytes(105, 5000))
  writeFileSync(join(root, 'efi', 'boot', 'bootx64.efi'), options.efiLoader ?? generateBytes(106, 200_000))
  writeFileSync(join(root, 'efi', 'microsoft', 'boot', 'bcd'), generateBytes(107, 16_384))
  writeFileSync(join(root, 'sources', 'setup.exe'), generateBytes(108, 90_000))

  const pe = join(work, 'winpe')
  mkdirSync(join(pe, 'Windows', 'System32'), { recursive: true })
  writeFileSync(join(pe, 'Windows', 'System32', 'winpeshl.ini'), '[LaunchApps]\r\n%SYSTEMDRIVE%\\sources\\setup.exe\r\n')
  wimlibCapture(pe, join(root, 'sources', 'boot.wim'), { compress: 'lzx', name: 'Microsoft Windows PE (amd64)', boot: true })

  const install = join(root, 'sources', options.solid ? 'install.esd' : 'install.wim')
  editions.forEach((edition, i) => {
    const tree = join(work, `edition-${i}`)
    mkdirSync(join(tree, 'Windows', 'System32'), { recursive: true })
    writeFileSync(join(tree, 'Windows', 'System32', 'kernel32.dll'), textBytes(200, 120_000))
    writeFileSync(join(tree, 'Windows', 'System32', 'edition.txt'), edition)
    if (options.payloadBytes) writeFileSync(join(tree, 'Windows', `payload-${i}.bin`), generateBytes(300 + i, options.payloadBytes))
    const capture = { compress: options.compress ?? 'lzx', solid: options.solid, name: edition, flags: edition.replace(/\W/g, '') } as WimlibCaptureOptions
    if (i === 0) wimlibCapture(tree, install, capture)
    else wimlibAppend(tree, install, capture)
    const properties = Object.entries(options.imageProperties ?? {}).flatMap(([name, value]) => ['--image-property', `${name}=${value}`])
    if (properties.length > 0) wimlib(['info', install, String(i + 1), ...properties])
  })
}

/** A UDF bridge ISO of a tree, as Microsoft's are (genisoimage -udf). */
export function makeIso(tree: string, iso: string, label = 'CCCOMA_X64FRE_EN-US_DV9'): void {
  execFileSync(toolPath('genisoimage'), ['-quiet', '-udf', '-J', '-joliet-long', '-allow-limited-size', '-V', label, '-o', iso, tree], { stdio: 'pipe' })
}
