/**
 * Windows installation media end to end: a Windows-like ISO made by genisoimage (UDF, with a
 * multi-edition install.wim by wimlib-imagex and a GRUB payload as the UEFI loader) goes
 * through the engine's media.create into an image file, which real tools then check and
 * QEMU boots.
 */
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MediaInspection } from '../../src/shared/media'
import { buildAutounattend } from '../../src/main/windows/unattend'
import { clientOf, confirmAndWrite, resultOf, sha256Of } from '../disk/support/drive-writes'
import { run, sfdiskJson, sgdiskVerify } from '../disk/partition/peers'
import { testEngine } from '../support/engine'
import { extractRegion } from '../support/image-region'
import { boot, grubEfiPayload, killQemus, OVMF, screenText } from '../support/qemu'
import { tempDir } from '../support/temp'
import { missingFile, missingTool, toolPath } from '../support/tools'
import { wimlib } from '../support/wim-fixtures'
import { buildWindowsLikeTree, makeIso } from '../support/windows-iso'
import { assembleStandin, missingAssembler, STANDIN_TAIL } from './bios-boot/fixtures'

const MiB = 1024 * 1024
const MARKER = 'IMAGING-MEDIA-BOOTED'
const EDITIONS = ['Windows 11 Home', 'Windows 11 Pro', 'Windows 11 Education']
const ANSWERS = { architectures: ['amd64' as const], bypassHardwareChecks: true, skipOnlineAccount: true, preventDeviceEncryption: true, localAccount: { name: 'tech' } }

const missingPeers =
  missingTool('wimlib-imagex', 'wimtools') ||
  missingTool('genisoimage', 'genisoimage') ||
  missingTool('7z', 'p7zip-full') ||
  missingTool('fsck.fat', 'dosfstools') ||
  missingTool('mcopy', 'mtools') ||
  missingTool('sgdisk', 'gdisk') ||
  missingTool('qemu-system-x86_64', 'qemu-system-x86') ||
  missingTool('grub-mkstandalone', 'grub-common') ||
  missingFile(OVMF, 'ovmf') ||
  missingAssembler()

/** Path → SHA-256 of every file below a folder. */
function fileHashes(root: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name)
      if (name.isDirectory()) walk(path)
      else out.set(relative(root, path), createHash('sha256').update(readFileSync(path)).digest('hex'))
    }
  }
  walk(root)
  return out
}

/** Everything on the medium's FAT32 volume, copied out by mtools (an independent reader). */
function copyOut(image: string, offset: number, out: string): Map<string, string> {
  mkdirSync(out, { recursive: true })
  run('mcopy', ['-s', '-n', '-i', `${image}@@${offset}`, '::/*', out])
  return fileHashes(out)
}

function fsckClean(image: string, offset: number, length: number): string {
  const result = execFileSync(toolPath('fsck.fat'), ['-n', extractRegion(image, offset, length)], { encoding: 'utf8' })
  return result
}

describe.skipIf(missingPeers)('Windows installation media from an ISO', async () => {
  const dir = tempDir('imaging-media-')
  const engine = await testEngine()
  const client = clientOf(engine)
  const tree = join(dir, 'iso-tree')
  const iso = join(dir, 'Win11_Test_x64.iso')
  const isoFiles = join(dir, 'iso-extracted')
  afterAll(killQemus)

  beforeAll(() => {
    const work = join(dir, 'payload')
    mkdirSync(work)
    // The UEFI loader stands in for Windows': it finds the medium, lists sources/ and prints the marker.
    const loader = grubEfiPayload(work, `search --file --set=root /sources/boot.wim\nls /sources/\necho\necho ${MARKER}\nhalt\n`, 'part_gpt part_msdos fat search search_fs_file echo halt ls')
    buildWindowsLikeTree(tree, { editions: EDITIONS, compress: 'xpress', payloadBytes: 700_000, efiLoader: loader, bootmgr: assembleStandin(work) })
    makeIso(tree, iso)
    execFileSync(toolPath('7z'), ['x', '-y', `-o${isoFiles}`, iso], { stdio: 'ignore' })
  })

  it('recognises the ISO as Windows media and lists its editions', async () => {
    const info: MediaInspection = await client.api.media.inspect({ source: iso })
    expect(info).toMatchObject({ sourceKind: 'iso', volumeLabel: 'CCCOMA_X64FRE_EN-US_DV9', defaultLabel: 'CCCOMA_X64F', uefi: ['x64'], bios: true, hasAnswerFile: false })
    expect(info.install).toMatchObject({ format: 'wim', files: [{ path: 'sources/install.wim' }] })
    expect(info.editions.map((e) => e.name)).toEqual(EDITIONS)
    expect(info.description).toMatch(/UDF/)
  })

  it('usb-uefi, split install image, answer file: verified, byte-equal to the ISO, parts that wimlib joins, boots under OVMF', async () => {
    const image = join(dir, 'uefi.img')
    const operation = { kind: 'media' as const, source: iso, layout: 'usb-uefi' as const, splitMiB: 1, unattend: ANSWERS }
    const { prep, job } = await confirmAndWrite(engine, { target: `file:${image}`, operation })
    expect(prep.erases.summary[0]).toMatch(/A new image file is created/)
    expect(prep.outcome).toMatch(/image file sized to fit/)
    expect(prep.outcome).toMatch(/skips the TPM, Secure Boot and RAM checks/)
    const result = resultOf(job)
    expect(result.verified).toBe(true)
    expect(job.phases.map((p) => `${p.id}:${p.state}`)).toEqual(['read:done', 'install:done', 'check:done', 'write:done', 'verify:done', 'finish:done'])
    expect(job.log.map((l) => l.message)).toContainEqual(expect.stringMatching(/Read back \d+ files .* through the FAT32 file system: each identical/))

    expect(sgdiskVerify(image)).toContain('No problems found')
    const [partition] = sfdiskJson(image).partitions
    const offset = partition!.start * 512
    expect(fsckClean(image, offset, partition!.size * 512)).toMatch(/files, \d+\/\d+ clusters/)

    const onMedium = copyOut(image, offset, join(dir, 'uefi-files'))
    const fromIso = fileHashes(isoFiles)
    // Every file of the ISO is on the medium, byte for byte, except the install image, which was split.
    for (const [path, hash] of fromIso) if (path !== 'sources/install.wim') expect(onMedium.get(path), path).toBe(hash)
    const parts = [...onMedium.keys()].filter((p) => /^sources\/install\d*\.swm$/.test(p)).sort((a, b) => a.length - b.length || a.localeCompare(b))
    expect(parts.length).toBeGreaterThan(1)
    expect(parts[0]).toBe('sources/install.swm')
    expect(onMedium.has('sources/install.wim')).toBe(false)
    expect(readFileSync(join(dir, 'uefi-files', 'autounattend.xml'), 'utf8')).toBe(buildAutounattend(ANSWERS).xml)
    expect(new Set(onMedium.keys())).toEqual(new Set([...fromIso.keys()].filter((p) => p !== 'sources/install.wim').concat(parts, 'autounattend.xml')))

    for (const part of parts) expect(statSync(join(dir, 'uefi-files', part)).size).toBeLessThanOrEqual(MiB)
    const joined = join(dir, 'joined.wim')
    wimlib(['join', joined, ...parts.map((p) => join(dir, 'uefi-files', p))])
    expect(wimlib(['verify', joined])).toMatch(/(verified|OK)/i)
    expect(wimlib(['info', joined])).toMatch(/Image Count:\s+3/)

    const booted = await boot(image, { firmware: 'ovmf', timeoutMs: 120_000 })
    const screen = screenText(booted.output)
    expect(screen, booted.output).toContain(MARKER)
    for (const name of ['boot.wim', 'install.swm', 'install2.swm', 'setup.exe']) expect(screen, booted.output).toContain(name)
  })

  it('usb-bios-uefi with one edition kept: BIOS boots /bootmgr through the medium (SeaBIOS), the WIM holds just that edition', async () => {
    const image = join(dir, 'bios.img')
    const operation = { kind: 'media' as const, source: iso, layout: 'usb-bios-uefi' as const, editions: ['Windows 11 Pro'], label: 'WIN11 PRO' }
    const { prep, job } = await confirmAndWrite(engine, { target: `file:${image}`, operation, createSizeBytes: 300 * MiB })
    expect(prep.outcome).toMatch(/1 of 3 editions \(Windows 11 Pro\)/)
    const result = resultOf(job)
    expect(result.verified).toBe(true)
    expect(job.log.map((l) => l.message)).toContainEqual(expect.stringMatching(/BIOS boot chain .* in place/))
    expect(statSync(image).size).toBe(300 * MiB)
    const [partition] = sfdiskJson(image).partitions
    expect(partition).toMatchObject({ bootable: true, type: 'c' })
    expect(run('mdir', ['-i', `${image}@@${partition!.start * 512}`, '::/'])).toMatch(/Volume in drive : is WIN11 PRO/)

    const files = join(dir, 'bios-files')
    copyOut(image, partition!.start * 512, files)
    expect(existsSync(join(files, 'autounattend.xml'))).toBe(false)
    expect(wimlib(['info', join(files, 'sources', 'install.wim')])).toMatch(/Image Count:\s+1[\s\S]*Name:\s+Windows 11 Pro/)
    expect(wimlib(['verify', join(files, 'sources', 'install.wim')])).toMatch(/(verified|OK)/i)

    const booted = await boot(image, { firmware: 'seabios', timeoutMs: 60_000 })
    const screen = screenText(booted.output)
    expect(screen, booted.output).toMatch(/BOOTMGR-STANDIN cs=2000 ip=0000 dl=80 /)
    expect(screen, booted.output).toContain(`tail=${STANDIN_TAIL}`)
    expect(booted.exitCode, booted.output).toBe(33)
  })

  describe('refuses before anything is written', () => {
    const target = join(dir, 'existing.img')
    beforeAll(() => {
      writeFileSync(target, Buffer.alloc(0))
      truncateSync(target, 100 * MiB)
    })

    async function refused(operation: Record<string, unknown>, createSizeBytes?: number) {
      const before = sha256Of(target)
      const error = await client.api.drives
        .prepareWrite({ target: `file:${target}`, operation: { kind: 'media', layout: 'usb-uefi', ...operation } as never, ...(createSizeBytes ? { createSizeBytes } : {}) })
        .then(() => null, (e: unknown) => e)
      expect(sha256Of(target)).toBe(before)
      return error
    }

    it('a damaged ISO (a download cut short), naming the file and what is wrong', async () => {
      const damaged = join(dir, 'damaged.iso')
      const bytes = readFileSync(iso)
      writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
      const error = await refused({ source: damaged })
      expect(error).toMatchObject({ code: expect.stringMatching(/^(CORRUPT|IO)$/), message: expect.stringContaining(damaged) })
    })

    it('a file that is not an ISO image at all', async () => {
      const notIso = join(dir, 'photo.iso')
      writeFileSync(notIso, Buffer.alloc(2 * MiB, 0x42))
      expect(await refused({ source: notIso })).toMatchObject({ code: 'VALIDATION', message: `${notIso} is not an ISO image: it has no ISO 9660 or UDF volume` })
    })

    it('an ISO that is not Windows media', async () => {
      const other = join(dir, 'not-windows')
      mkdirSync(join(other, 'docs'), { recursive: true })
      writeFileSync(join(other, 'docs', 'readme.txt'), 'hello')
      const otherIso = join(dir, 'not-windows.iso')
      makeIso(other, otherIso, 'DOCS')
      expect(await refused({ source: otherIso })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/is not Windows installation media: it has no sources\/install\.wim/) })
    })

    it('a target too small', async () => {
      expect(await refused({ source: iso })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/too small .* needs at least/) })
    })

    it('an edition that does not exist', async () => {
      expect(await refused({ source: iso, editions: ['Windows 11 Enterprise'] })).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/no image named "Windows 11 Enterprise" \(images: 1: Windows 11 Home; 2: Windows 11 Pro; 3: Windows 11 Education\)/),
      })
    })

  })
})
