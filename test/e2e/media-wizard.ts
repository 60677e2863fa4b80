import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import type { Drive, WritePreparation } from '../../src/shared/drives'
import { formatBytes } from '../../src/shared/format'
import { usbStick } from '../support/drives'
import { openApp, type ServerHandle } from './harness'

/** What Microsoft's install.wim says of each edition: x64 (ARCH 9), English, a build. */
export const X64_ENGLISH = { 'WINDOWS/ARCH': '9', 'WINDOWS/LANGUAGES/LANGUAGE': 'en-US', 'WINDOWS/LANGUAGES/DEFAULT': 'en-US', 'WINDOWS/VERSION/BUILD': '26100' }

export interface WizardPage {
  page: Page
  /** Errors the browser console printed: a finished test expects none. */
  consoleErrors: string[]
}

/** A light-themed browser page on the Create media page of a running server. */
export async function openMediaWizard(server: ServerHandle): Promise<WizardPage> {
  const { page, consoleErrors } = await openApp(server)
  await page.emulateMedia({ colorScheme: 'light' })
  await page.evaluate(() => localStorage.setItem('imaging.color-scheme', 'light'))
  await page.getByTestId('nav-media').click()
  await page.getByRole('heading', { name: 'Create media', level: 2 }).waitFor()
  return { page, consoleErrors }
}

/** The wizard's Next button. */
export function next(page: Page): Promise<void> {
  return page.getByTestId('wizard-next').click()
}

const GiB = 1024 ** 3

/** Two sticks of one make, as drives.list reports them: only size, device and what is mounted tell them apart. */
export const STICKS: Drive[] = [
  usbStick({ sizeBytes: Math.round(14.9 * GiB) }),
  usbStick({
    id: '/dev/sdc',
    device: '/dev/sdc',
    sizeBytes: Math.round(28.7 * GiB),
    volumes: [{ mountpoint: '/media/tech/OLDSTICK', label: 'OLDSTICK', sizeBytes: Math.round(28.7 * GiB), freeBytes: 3 * GiB }],
  }),
]

/** What drives.prepareWrite says of a stick like these, in the engine's words, with a token the engine never issued. */
export function stickReview(drive: Drive, operation: unknown): WritePreparation {
  const size = formatBytes(drive.sizeBytes)
  const label = `${drive.description} (${drive.device}, ${size})`
  return {
    // Shaped like the engine's tokens, so the engine's refusal is of the token itself, not of its form.
    token: randomBytes(24).toString('base64url'),
    expiresAt: Date.now() + 600_000,
    drive,
    identity: { id: drive.id, kind: 'disk', device: drive.device, sizeBytes: drive.sizeBytes, description: drive.description, serial: '4C530001230215108442', isRemovable: true, fingerprint: {} },
    operation: operation as WritePreparation['operation'],
    verify: true,
    createSizeBytes: null,
    driveLabel: label,
    erases: {
      summary: [`Everything on ${label} is erased.`, `It holds an MBR partition table with 1 partition: partition 1 "OLDSTICK" (FAT32, ${size}), mounted at /media/tech/OLDSTICK (unmounted first).`],
      table: 'mbr',
      partitions: [{ index: 1, name: 'OLDSTICK', role: 'data', startBytes: 1024 * 1024, sizeBytes: drive.sizeBytes! - 1024 * 1024, typeLabel: 'FAT32 (LBA)', typeCode: '0c', fileSystem: 'fat32', flags: ['active'] }],
      volumes: drive.volumes,
    },
    outcome: 'Windows installation media (GPT, starts on UEFI machines).',
    typedConfirmation: null,
    warnings: [],
  }
}
