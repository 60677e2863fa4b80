/// <reference lib="dom" />
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { run, sfdiskJson } from '../disk/partition/peers'
import { extractRegion } from '../support/image-region'
import { missingTool, toolPath } from '../support/tools'
import { wimlib } from '../support/wim-fixtures'
import { buildWindowsLikeTree, makeIso } from '../support/windows-iso'
import { chromiumMissing, launchChromium, screenshotDir, startBuiltServer, type ServerHandle } from './harness'

const EDITIONS = ['Windows 11 Home', 'Windows 11 Pro', 'Windows 11 Education']
// What Microsoft's install.wim says of each edition: x64 (ARCH 9), English, a build.
const PROPERTIES = { 'WINDOWS/ARCH': '9', 'WINDOWS/LANGUAGES/LANGUAGE': 'en-US', 'WINDOWS/LANGUAGES/DEFAULT': 'en-US', 'WINDOWS/VERSION/BUILD': '26100' }

const missingPeers =
  chromiumMissing() ||
  missingTool('wimlib-imagex', 'wimtools') ||
  missingTool('genisoimage', 'genisoimage') ||
  missingTool('sfdisk', 'fdisk') ||
  missingTool('mcopy', 'mtools') ||
  missingTool('fsck.fat', 'dosfstools')

describe.skipIf(missingPeers)('Create media wizard: an ISO to a verified image file, in a real browser', () => {
  let server: ServerHandle
  let page: Page
  let iso: string
  let plainIso: string
  const consoleErrors: string[] = []

  /** The page as it is now, in the light theme and then the dark one (switched in place: a reload would end the wizard). */
  const shoot = async (name: string): Promise<void> => {
    // The header is fixed: a scrolled page would show it in the middle of a full-page picture.
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.mouse.move(600, 880)
    await page.waitForTimeout(150)
    await page.screenshot({ path: join(screenshotDir, `media-${name}-light.png`), fullPage: true })
    await page.getByRole('button', { name: 'Switch to dark theme' }).click()
    await page.mouse.move(600, 880)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(screenshotDir, `media-${name}-dark.png`), fullPage: true })
    await page.getByRole('button', { name: 'Switch to light theme' }).click()
  }
  const next = () => page.getByTestId('wizard-next').click()

  beforeAll(async () => {
    server = await startBuiltServer()
    const tree = join(server.dataDir, 'iso-tree')
    buildWindowsLikeTree(tree, { editions: EDITIONS, compress: 'xpress', payloadBytes: 300_000, imageProperties: PROPERTIES })
    iso = join(server.dataDir, 'Win11_Test_x64.iso')
    makeIso(tree, iso)
    const plain = join(server.dataDir, 'plain-tree')
    mkdirSync(plain)
    writeFileSync(join(plain, 'readme.txt'), 'Not Windows.\r\n')
    plainIso = join(server.dataDir, 'drivers.iso')
    makeIso(plain, plainIso, 'DRIVERS')

    const browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } })
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto(server.openUrl)
    await page.evaluate(() => localStorage.setItem('imaging.color-scheme', 'light'))
    await page.getByTestId('nav-media').click()
    await page.getByRole('heading', { name: 'Create media', level: 2 }).waitFor()
  })

  it('says what is wrong with a missing file and with an ISO that is not Windows media', async () => {
    const missing = join(server.dataDir, 'missing.iso')
    await page.getByTestId('media-source').fill(missing)
    await page.getByTestId('media-inspect').click()
    await expect.poll(() => page.getByTestId('media-source-error').textContent()).toContain(`${missing} does not exist`)
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true)

    await page.getByTestId('media-source').fill(plainIso)
    await page.getByTestId('media-inspect').click()
    await expect.poll(() => page.getByTestId('media-source-error').textContent()).toContain(plainIso)
    await shoot('source-error')
  })

  it('inspects the ISO: label, install image, boot support', async () => {
    await page.getByTestId('media-source').fill(iso)
    await page.getByTestId('media-inspect').click()
    const summary = page.getByTestId('media-inspection')
    await expect.poll(() => summary.textContent()).toContain('CCCOMA_X64FRE_EN-US_DV9')
    const text = (await summary.textContent()) ?? ''
    expect(text).toContain('sources/install.wim')
    expect(text).toContain('UEFI x64')
    expect(text).toContain('BIOS (bootmgr)')
    await shoot('1-source')
    await next()
  })

  it('keeps one edition and says what that does to the install image', async () => {
    const rows = page.getByTestId('media-edition-row')
    await expect.poll(() => rows.count()).toBe(3)
    await page.getByRole('checkbox', { name: 'Keep Windows 11 Home' }).uncheck()
    await page.getByRole('checkbox', { name: 'Keep Windows 11 Education' }).uncheck()
    await expect.poll(() => page.getByTestId('media-editions-effect').textContent()).toMatch(/The 1 kept edition is exported into a new install image/)
    expect(await rows.nth(1).textContent()).toMatch(/Windows 11 Pro.*x64.*en-US/)
    await shoot('2-editions')
    await next()
  })

  it('lists the drives with the system disk disabled, and takes a new image file sized to fit', async () => {
    await expect.poll(() => page.getByTestId('media-target').count()).toBeGreaterThan(0)
    const system = page.locator('[data-testid="media-target"][data-blocked="true"]')
    if ((await system.count()) > 0) {
      expect(await system.first().isDisabled()).toBe(true)
      expect(await system.first().textContent()).toMatch(/it is never written/)
    }
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true)
    await page.getByTestId('media-image-path').fill(join(server.dataDir, 'win11-usb.img'))
    await page.getByTestId('media-image-add').click()
    const card = page.locator(`[data-testid="media-target"][data-target="file:${join(server.dataDir, 'win11-usb.img')}"]`)
    await expect.poll(() => card.getAttribute('aria-checked')).toBe('true')
    await expect.poll(() => page.getByTestId('media-new-file-size').textContent()).toMatch(/Sized to fit/)
    await shoot('3-target')
    await next()
  })

  it('sets answer-file options and shows the engine\'s autounattend.xml with its warnings before writing', async () => {
    await expect.poll(() => page.getByTestId('media-layout-usb-uefi').getAttribute('aria-checked')).toBe('true')
    expect(await page.getByTestId('media-label').inputValue()).toBe('CCCOMA_X64F')
    await page.getByTestId('answer-bypassHardwareChecks').check()
    await page.getByTestId('answer-preventDeviceEncryption').check()
    await page.getByTestId('answer-account').check()
    // A built-in name is refused at the field, by the same rules the engine applies.
    await page.getByTestId('answer-account-name').fill('Administrator')
    await expect.poll(() => page.getByText('Is the name of a built-in account').isVisible()).toBe(true)
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true)
    await page.getByTestId('answer-account-name').fill('tech')
    await page.getByTestId('answer-account-password').fill('Temp-1234')
    await page.getByTestId('answer-regional').check()
    await expect.poll(() => page.getByTestId('answer-time-zone').inputValue()).not.toBe('')
    const xml = page.getByTestId('answer-preview-xml')
    await expect.poll(() => xml.textContent()).toContain('<Name>tech</Name>')
    expect(await xml.textContent()).toContain('BypassTPMCheck')
    expect(await xml.textContent()).toContain('PreventDeviceEncryption')
    await expect.poll(() => page.getByTestId('answer-preview-warnings').textContent()).toMatch(/only base64-encoded/)
    await shoot('4-options')
    await next()
  })

  it('reviews in words what is made, then writes, verifies and sums up with the log', async () => {
    const review = page.getByTestId('media-review')
    await expect.poll(() => review.getByTestId('erase-alert').textContent(), { timeout: 30_000 }).toMatch(/This creates image file .*win11-usb\.img/)
    const outcome = (await review.getByTestId('erase-outcome').textContent()) ?? ''
    expect(outcome).toMatch(/sized to fit/)
    expect(outcome).toMatch(/1 of 3 editions \(Windows 11 Pro\)/)
    expect(outcome).toMatch(/skips the TPM, Secure Boot and RAM checks/)
    await shoot('5-review')
    await page.getByTestId('media-start').click()
    await page.getByTestId('media-progress').or(page.getByTestId('media-summary')).first().waitFor()
    await page.screenshot({ path: join(screenshotDir, 'media-6-write-light.png'), fullPage: true })

    const summary = page.locator('[data-testid="media-summary"][data-state="succeeded"]')
    await summary.waitFor({ timeout: 90_000 })
    expect(await summary.getByTestId('media-verified').textContent()).toContain('Verified')
    expect(await summary.getByTestId('media-result').textContent()).toMatch(/now holds Windows installation media \(GPT/)
    await expect.poll(() => summary.getByTestId('job-log').textContent()).toMatch(/Read back \d+ files .* each identical/)
    await shoot('8-summary')
  })

  it('made an image file that real tools read: GPT, clean FAT32, one edition, the answer file', () => {
    const image = join(server.dataDir, 'win11-usb.img')
    const [partition] = sfdiskJson(image).partitions
    expect(partition).toBeDefined()
    const offset = partition!.start * 512
    const fsck = execFileSync(toolPath('fsck.fat'), ['-n', extractRegion(image, offset, partition!.size * 512)], { encoding: 'utf8' })
    expect(fsck).toMatch(/files, \d+\/\d+ clusters/)
    expect(run('mdir', ['-i', `${image}@@${offset}`, '::/'])).toMatch(/ autounattend\.xml$/m)

    const out = join(server.dataDir, 'from-medium')
    mkdirSync(out)
    run('mcopy', ['-n', '-i', `${image}@@${offset}`, '::/autounattend.xml', '::/sources/install.wim', out])
    const answers = readFileSync(join(out, 'autounattend.xml'), 'utf8')
    expect(answers).toContain('<Name>tech</Name>')
    expect(answers).toContain('BypassTPMCheck')
    const info = wimlib(['info', join(out, 'install.wim')])
    expect(info).toMatch(/Image Count:\s+1/)
    expect(info).toMatch(/Name:\s+Windows 11 Pro/)
  })

  it('writes another drive with the same choices, and shows the engine\'s refusal of a file too small at the review', async () => {
    await page.getByTestId('media-again').click()
    await page.getByTestId('media-image-path').fill(join(server.dataDir, 'too-small.img'))
    await page.getByTestId('media-image-add').click()
    await page.getByText('Fixed size').click()
    await page.getByTestId('media-new-file-gib').fill('0.25')
    await next()
    // The answer file chosen for the first stick is still there.
    expect(await page.getByTestId('answer-account-name').inputValue()).toBe('tech')
    await next()
    await expect.poll(() => page.getByTestId('media-review-error').textContent(), { timeout: 30_000 }).toMatch(/\(256\.0 MiB\) is too small for the usb-uefi layout: it needs at least/)
    expect(await page.getByTestId('media-start').count()).toBe(0)
    await shoot('5-review-error')
  })

  it('ran without errors in the browser console', () => {
    expect(consoleErrors).toEqual([])
  })
})
