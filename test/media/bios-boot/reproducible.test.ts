/**
 * The boot code the app carries is what resources/bios-boot/generate.sh makes from the
 * installed grub-pc-bin, byte for byte: so anyone can check where it came from, and a new
 * GRUB package (a security update) shows up here as a reminder to regenerate.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run } from '../../disk/partition/peers'
import { missingFile, missingTool } from '../../support/tools'
import { tempDir } from '../../support/temp'
import { RESOURCES } from './fixtures'

const GRUB_I386_PC = '/usr/lib/grub/i386-pc'
const GENERATED = ['boot.img', 'core.img', 'manifest.json']

describe.skipIf(missingTool('grub-mkimage', 'grub-common') || missingFile(join(GRUB_I386_PC, 'boot.img'), 'grub-pc-bin'))('the bundled GRUB boot code', () => {
  const dir = tempDir('bios-boot-generate-')

  it('is what generate.sh makes from the installed grub-pc-bin', (ctx) => {
    const installed = run('dpkg-query', ['-W', '-f=${Version}', 'grub-pc-bin'])
    const bundled = (JSON.parse(readFileSync(join(RESOURCES, 'manifest.json'), 'utf8')) as { grub: { version: string } }).grub.version
    // Another GRUB build cannot reproduce these bytes; a Debian update must not break every CI run until someone regenerates.
    if (installed !== bundled) ctx.skip(`grub-pc-bin ${installed} is installed; the app carries GRUB ${bundled}: run resources/bios-boot/generate.sh, then the QEMU tests, and commit`)

    run('bash', [join(RESOURCES, 'generate.sh'), dir])
    for (const name of GENERATED) {
      expect(Buffer.compare(readFileSync(join(dir, name)), readFileSync(join(RESOURCES, name))), name).toBe(0)
    }
    expect(Buffer.compare(readFileSync(join(RESOURCES, 'boot.img')), readFileSync(join(GRUB_I386_PC, 'boot.img')))).toBe(0)
  })
})
