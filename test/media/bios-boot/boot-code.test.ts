import { createHash } from 'node:crypto'
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadBiosBootCode } from '../../../src/main/media/bios-boot'
import { loaderSectors, mbrBootCode } from '../../../src/main/media/bios-boot/grub-images'
import { tempDir } from '../../support/temp'
import { bundledCode, RESOURCES } from './fixtures'

const bootImg = () => new Uint8Array(readFileSync(join(RESOURCES, 'boot.img')))
const coreImg = () => new Uint8Array(readFileSync(join(RESOURCES, 'core.img')))

describe('the bundled GRUB boot code', () => {
  it('is boot.img with the drive check enabled, and core.img in whole sectors', async () => {
    const code = await bundledCode()
    const manifest = JSON.parse(readFileSync(join(RESOURCES, 'manifest.json'), 'utf8')) as { grub: { version: string } }
    expect(code.grubVersion).toBe(manifest.grub.version)

    const expectedMbr = bootImg().slice(0, 440)
    expectedMbr.set([0x90, 0x90], 0x66)
    expect(code.mbrCode).toEqual(expectedMbr)

    const core = coreImg()
    expect(code.loader.length).toBe(Math.ceil(core.length / 512) * 512)
    expect(code.loader.subarray(0, core.length)).toEqual(core)
    expect(code.loader.subarray(core.length).every((b) => b === 0)).toBe(true)
  })
})

describe('loadBiosBootCode on damaged files', () => {
  const root = tempDir('bios-boot-code-')
  let copies = 0
  /** A copy of the bundled folder, changed by `damage`. */
  const damaged = (damage: (dir: string) => void): string => {
    const dir = join(root, `copy-${copies++}`)
    cpSync(RESOURCES, dir, { recursive: true })
    damage(dir)
    return dir
  }
  const flipByte = (path: string, at: number) => {
    const bytes = readFileSync(path)
    bytes[at] ^= 0xff
    writeFileSync(path, bytes)
  }

  it('refuses a file that does not match the manifest', async () => {
    const dir = damaged((d) => flipByte(join(d, 'core.img'), 20_000))
    await expect(loadBiosBootCode(dir)).rejects.toMatchObject({ code: 'CORRUPT', details: { path: join(dir, 'core.img') } })
  })

  it('names a missing file', async () => {
    const dir = damaged((d) => rmSync(join(d, 'boot.img')))
    await expect(loadBiosBootCode(dir)).rejects.toMatchObject({ code: 'NOT_FOUND', details: { path: join(dir, 'boot.img') } })
  })

  it('refuses a manifest that is not JSON or lacks a checksum', async () => {
    const notJson = damaged((d) => writeFileSync(join(d, 'manifest.json'), '{'))
    await expect(loadBiosBootCode(notJson)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringContaining('not JSON') })
    const noSum = damaged((d) => writeFileSync(join(d, 'manifest.json'), JSON.stringify({ grub: { version: '2.06' }, sha256: { 'boot.img': 'x' } })))
    await expect(loadBiosBootCode(noSum)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringContaining('sha256["boot.img"]') })
  })

  it('refuses a boot.img built for another place, even with a matching checksum', async () => {
    const dir = damaged((d) => {
      const path = join(d, 'boot.img')
      flipByte(path, 0x5c)
      const manifestPath = join(d, 'manifest.json')
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { sha256: Record<string, string> }
      manifest.sha256['boot.img'] = createHash('sha256').update(readFileSync(path)).digest('hex')
      writeFileSync(manifestPath, JSON.stringify(manifest))
    })
    await expect(loadBiosBootCode(dir)).rejects.toMatchObject({ code: 'CORRUPT', details: { offset: 0x5c } })
  })
})

describe('the GRUB image checks', () => {
  const corrupted = (bytes: Uint8Array, at: number, value: number) => {
    const copy = bytes.slice()
    copy[at] = value
    return copy
  }

  it('accept only a 512-byte boot.img that loads LBA 1 through DL, with its drive-check jump', () => {
    expect(() => mbrBootCode(bootImg().subarray(0, 511), 'b')).toThrow(/511 bytes/)
    expect(() => mbrBootCode(corrupted(bootImg(), 511, 0), 'b')).toThrow(/55 AA/)
    expect(() => mbrBootCode(corrupted(bootImg(), 0x5c, 2), 'b')).toThrow(/LBA 1 \(byte 92\)/)
    expect(() => mbrBootCode(corrupted(bootImg(), 0x64, 0x80), 'b')).toThrow(/fixed boot drive instead of using DL \(byte 100\)/)
    expect(() => mbrBootCode(corrupted(bootImg(), 0x66, 0x90), 'b')).toThrow(/no drive-check jump where GRUB 2 puts it \(byte 102\)/)
  })

  it('accept only a core.img whose blocklist loads the rest of it from LBA 2', () => {
    const core = coreImg()
    const sectors = Math.ceil(core.length / 512)
    expect(() => loaderSectors(core.subarray(0, 512), 'c')).toThrow(/only 512 bytes/)
    expect(() => loaderSectors(corrupted(core, 0x1f4, 3), 'c')).toThrow(/LBA 2 \(byte 500\)/)
    expect(() => loaderSectors(corrupted(core, 0x1fc, sectors), 'c')).toThrow(new RegExp(`loads ${sectors} more sectors, but ${sectors - 1} follow`))
    expect(() => loaderSectors(corrupted(core, 0x1ff, 0x10), 'c')).toThrow(/unexpected segment \(byte 510\)/)
    expect(() => loaderSectors(corrupted(core, 0x1f0, 1), 'c')).toThrow(/second blocklist entry \(byte 496\)/)
    // A core.img cut short no longer matches its own blocklist.
    expect(() => loaderSectors(core.subarray(0, core.length - 512), 'c')).toThrow(/more sectors/)
  })
})
