import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LayoutKindName } from '../../src/shared/drives'
import { FileTarget } from '../../src/main/disk/byte-target'
import { planFor, writeLayout } from '../../src/main/disk/operations/partition-drive'
import { quietContext } from '../support/context'
import { tempDir } from '../support/temp'
import { boot, grubEfiPayload, killQemus, OVMF } from '../support/qemu'
import { missingFile, missingTool } from '../support/tools'

const missing = missingTool('qemu-system-x86_64', 'qemu-system-x86') || missingTool('grub-mkstandalone', 'grub-common') || missingFile(OVMF, 'ovmf')

describe.skipIf(missing)('media we partition and format boot under UEFI', () => {
  const dir = tempDir('imaging-boot-')
  let payload: Uint8Array

  beforeAll(() => {
    payload = grubEfiPayload(dir, 'echo IMAGING-BOOT-MARKER\nhalt\n')
  })
  afterAll(killQemus)

  for (const layout of ['usb-uefi', 'usb-bios-uefi'] as LayoutKindName[]) {
    it(`${layout}: our table and FAT32 with \\EFI\\BOOT\\BOOTX64.EFI boot in QEMU + OVMF`, async () => {
      const image = join(dir, `${layout}.img`)
      const target = await FileTarget.create(image, 300 * 1024 * 1024)
      try {
        const plan = planFor(target, layout, undefined)
        await writeLayout(target, plan, quietContext(), {
          label: 'BOOTTEST',
          entries: [{ path: 'EFI/BOOT/BOOTX64.EFI', kind: 'file', size: payload.length, open: () => [payload] }],
        })
      } finally {
        await target.close()
      }
      const { exitCode, output } = await boot(image, { firmware: 'ovmf', timeoutMs: 90_000 })
      expect(output).toContain('IMAGING-BOOT-MARKER')
      expect(exitCode).toBe(0)
    })
  }
})
