/**
 * End to end: media made by our partition writer, our FAT32 writer and the bundled GRUB
 * code boot in QEMU, on SeaBIOS (QEMU's default BIOS) to a stand-in bootmgr, and on OVMF
 * (UEFI) to \EFI\BOOT\BOOTX64.EFI, from the same image.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { checkBiosBoot, type BiosBootCode } from '../../../src/main/media/bios-boot'
import { missingFile, missingTool } from '../../support/tools'
import { tempDir } from '../../support/temp'
import { expectClean } from '../../fs/fat32/fixtures'
import { assembleStandin, buildMedium, bundledCode, missingAssembler, STANDIN_TAIL, type Medium } from './fixtures'
import { boot, grubEfiPayload, killQemus, OVMF, screenText } from '../../support/qemu'

const UEFI_MARKER = 'UEFI-PAYLOAD-STARTED'
const noQemu = missingTool('qemu-system-x86_64', 'qemu-system-x86') || missingAssembler()
const noUefi = noQemu || missingFile(OVMF, 'ovmf') || missingTool('grub-mkstandalone', 'grub-common') || missingFile('/usr/lib/grub/x86_64-efi/halt.mod', 'grub-efi-amd64-bin')

describe.skipIf(noQemu)('a usb-bios-uefi medium on SeaBIOS', () => {
  const dir = tempDir('bios-boot-qemu-')
  let code: BiosBootCode
  let medium: Medium
  let standin: Uint8Array

  beforeAll(async () => {
    code = await bundledCode()
    standin = assembleStandin(dir)
    // Lower case, as on Windows ISOs; GRUB's FAT lookup ignores case as Windows' does.
    medium = await buildMedium(join(dir, 'disk.img'), code, { bootmgr: standin })
  })
  afterAll(killQemus)

  it('boots through GRUB into bootmgr, handed over as a Windows boot sector would', async () => {
    const result = await boot(medium.image, { firmware: 'seabios', timeoutMs: 30_000 })
    const report = /BOOTMGR-STANDIN cs=(\w+) ip=(\w+) dl=(\w+) ss=(\w+) sp=(\w+) vbr-sig=(\w+) vbr-hidden=(\w+) vbr-drive=(\w+) tail=([\w-]*) END/.exec(screenText(result.output))
    expect(report, result.output).not.toBeNull()
    const [, cs, ip, dl, ss, sp, signature, hidden, drive, tail] = report!
    // Loaded at 0x2000:0000 and entered there, with the boot drive in DL.
    expect({ cs, ip, dl }).toEqual({ cs: '2000', ip: '0000', dl: '80' })
    // The stack a boot sector leaves: just below its own 0000:7C00.
    expect({ ss, sp }).toEqual({ ss: '0000', sp: '7C00' })
    // The partition's boot sector at 0000:7C00, its BPB saying where the partition starts and which drive it is on.
    expect({ signature, hidden: parseInt(hidden, 16), drive }).toEqual({ signature: 'AA55', hidden: medium.partition.firstLba, drive: '80' })
    // All of the 448 KiB file is in memory, not only its first sectors.
    expect(tail).toBe(STANDIN_TAIL)
    expect(result.exitCode, result.output).toBe(33)
    expect(result.timedOut).toBe(false)
  })

  it('leaves the volume clean and the medium still checks as BIOS-bootable after booting', async () => {
    await expectClean({ image: medium.image, offset: medium.offset, plan: medium.plan })
    const target = await FileTarget.openExisting(medium.image, { writable: false })
    try {
      expect(await checkBiosBoot(target, code)).toEqual({ bootable: true, problems: [] })
    } finally {
      await target.close()
    }
  })

  it('says what is wrong when /bootmgr is missing, instead of hanging silently', async () => {
    const bare = await buildMedium(join(dir, 'no-bootmgr.img'), code, { 'sources/boot.wim': new Uint8Array(4096) })
    const result = await boot(bare.image, { firmware: 'seabios', timeoutMs: 30_000, stopWhen: /grub rescue>/ })
    expect(result.timedOut, result.output).toBe(false)
    const screen = screenText(result.output)
    expect(screen, result.output).toContain("error: file `/bootmgr' not found.")
    expect(screen, result.output).toContain('Cannot start Windows Boot Manager (/bootmgr) from this medium: make it again.')
  })
})

describe.skipIf(noUefi)('the same medium on OVMF (UEFI)', () => {
  const dir = tempDir('bios-boot-uefi-')
  afterAll(killQemus)

  it('boots \\EFI\\BOOT\\BOOTX64.EFI while carrying the BIOS chain', async () => {
    const code = await bundledCode()
    const medium = await buildMedium(join(dir, 'disk.img'), code, { bootmgr: assembleStandin(dir), 'efi/boot/bootx64.efi': grubEfiPayload(dir, `echo ${UEFI_MARKER}\nhalt\n`, 'part_msdos fat echo halt') })
    const result = await boot(medium.image, { firmware: 'ovmf', timeoutMs: 60_000 })
    expect(screenText(result.output), result.output).toContain(UEFI_MARKER)
    expect(result.output).not.toContain('BOOTMGR-STANDIN')
    expect(result.exitCode, result.output).toBe(0)

    const target = await FileTarget.openExisting(medium.image, { writable: false })
    try {
      expect((await checkBiosBoot(target, code)).bootable).toBe(true)
    } finally {
      await target.close()
    }
  })
})
