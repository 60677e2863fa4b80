import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LayoutKindName } from '../../src/shared/drives'
import { FileTarget } from '../../src/main/disk/byte-target'
import { planFor, writeLayout } from '../../src/main/disk/operations/partition-drive'
import { quietContext } from '../support/context'
import { tempDir } from '../support/temp'
import { missingTool, toolPath } from '../support/tools'

const OVMF = '/usr/share/ovmf/OVMF.fd'

function missingOvmf(): boolean {
  if (existsSync(OVMF)) return false
  if (process.env.CI) throw new Error(`${OVMF} not found: install the Debian package ovmf`)
  console.warn(`skipping boot tests: ${OVMF} not found (Debian package ovmf)`)
  return true
}
const missing = missingTool('qemu-system-x86_64', 'qemu-system-x86') || missingTool('grub-mkstandalone', 'grub-common') || missingOvmf()

/** Boots a raw disk image under UEFI (OVMF) in QEMU; returns what the serial console printed. */
function boot(image: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const qemu = spawn(
      toolPath('qemu-system-x86_64'),
      ['-machine', 'q35', '-accel', 'tcg', '-m', '512', '-nographic', '-no-reboot', '-bios', OVMF, '-drive', `file=${image},format=raw`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    qemu.stdout.on('data', (c: Buffer) => (output += c.toString()))
    qemu.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const timer = setTimeout(() => qemu.kill('SIGKILL'), 90_000)
    qemu.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

describe.skipIf(missing)('media we partition and format boot under UEFI', () => {
  const dir = tempDir('imaging-boot-')
  let payload: Uint8Array

  beforeAll(() => {
    writeFileSync(join(dir, 'grub.cfg'), 'echo IMAGING-BOOT-MARKER\nhalt\n')
    const made = spawnSync(
      toolPath('grub-mkstandalone'),
      ['-O', 'x86_64-efi', '-o', 'BOOTX64.EFI', '--modules=part_gpt part_msdos fat echo halt ls', '--locales=', '--fonts=', '--themes=', 'boot/grub/grub.cfg=./grub.cfg'],
      { cwd: dir, encoding: 'utf8' },
    )
    if (made.status !== 0) throw new Error(`grub-mkstandalone failed: ${made.stderr}`)
    payload = readFileSync(join(dir, 'BOOTX64.EFI'))
  })

  for (const layout of ['usb-uefi', 'usb-bios-uefi'] as LayoutKindName[]) {
    it(`${layout}: our table and FAT32 with \\EFI\\BOOT\\BOOTX64.EFI boot in QEMU + OVMF`, async () => {
      const image = join(dir, `${layout}.img`)
      const target = await FileTarget.create(image, 300 * 1024 * 1024)
      try {
        const plan = planFor(target, layout, undefined)
        await writeLayout(target, plan, 'BOOTTEST', quietContext(), [
          { path: 'EFI/BOOT/BOOTX64.EFI', kind: 'file', size: payload.length, open: () => [payload] },
        ])
      } finally {
        await target.close()
      }
      const { code, output } = await boot(image)
      expect(output).toContain('IMAGING-BOOT-MARKER')
      expect(code).toBe(0)
    })
  }
})
