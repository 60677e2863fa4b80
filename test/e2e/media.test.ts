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
import type { DriveListing } from '../../src/shared/drives'
import { chromiumMissing, shootBothThemes, startBuiltServer, type ServerHandle } from './harness'
import { next as nextStep, openMediaWizard, STICKS, stickReview, X64_ENGLISH } from './media-wizard'

const EDITIONS = ['Windows 11 Home', 'Windows 11 Pro', 'Windows 11 Education']

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
  let consoleErrors: string[]

  const shoot = (name: string): Promise<void> => shootBothThemes(page, `media-${name}`)
  const next = () => nextStep(page)

  beforeAll(async () => {
    server = await startBuiltServer()
    const tree = join(server.dataDir, 'iso-tree')
    buildWindowsLikeTree(tree, { editions: EDITIONS, compress: 'xpress', payloadBytes: 300_000, imageProperties: X64_ENGLISH })
    iso = join(server.dataDir, 'Win11_Test_x64.iso')
    makeIso(tree, iso)
    const plain = join(server.dataDir, 'plain-tree')
    mkdirSync(plain)
    writeFileSync(join(plain, 'readme.txt'), 'Not Windows.\r\n')
    plainIso = join(server.dataDir, 'drivers.iso')
    makeIso(plain, plainIso, 'DRIVERS')

    const opened = await openMediaWizard(server)
    page = opened.page
    consoleErrors = opened.consoleErrors
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

  it('tells two sticks of one make apart: the review names model, size, bus, serial and what is mounted', async () => {
    // This machine has no USB sticks: the page is shown two, as drives.list would list them, and the
    // engine's review of one. The write itself still goes to the engine, which refuses a confirmation it never gave.
    await page.route('**/api/invoke', async (route) => {
      const { method, args } = route.request().postDataJSON() as { method: string; args: { target?: string; operation?: unknown } }
      if (method === 'drives.list') {
        const listing = (await (await route.fetch()).json()) as { ok: true; value: DriveListing }
        listing.value.disks.push(...STICKS)
        return route.fulfill({ json: listing })
      }
      const stick = STICKS.find((d) => d.id === args.target)
      if (method === 'drives.prepareWrite' && stick) return route.fulfill({ json: { ok: true, value: stickReview(stick, args.operation) } })
      return route.fallback()
    })
    await page.getByTestId('wizard-back').click()
    await page.getByTestId('wizard-back').click()
    await page.getByRole('button', { name: 'Refresh' }).click()
    const cards = page.locator('[data-testid="media-target"][data-target^="/dev/sd"]')
    await expect.poll(() => cards.count()).toBe(2)
    // USB sticks come first, each with its size and device beside the same model name.
    expect(await page.getByTestId('media-target').first().textContent()).toMatch(/SanDisk Ultra14\.9 GiB\/dev\/sdb · USB/)
    await page.getByRole('radio', { name: 'SanDisk Ultra, 28.7 GiB' }).check()
    await shoot('3-target-sticks')
    await next()
    await next()

    const review = page.getByTestId('media-review')
    await expect.poll(() => review.getByTestId('erase-alert').textContent()).toMatch(/This erases SanDisk Ultra \(\/dev\/sdc, 28\.7 GiB\)/)
    const facts = review.getByTestId('erase-drive')
    expect(await facts.getByTestId('erase-drive-model').textContent()).toContain('SanDisk Ultra')
    expect(await facts.getByTestId('erase-drive-size').textContent()).toContain('28.7 GiB')
    expect(await facts.getByTestId('erase-drive-bus').textContent()).toContain('USB')
    expect(await facts.textContent()).toMatch(/4C530001230215108442.*\/media\/tech\/OLDSTICK "OLDSTICK"/)
    expect(await review.getByTestId('media-start').textContent()).toBe('Erase /dev/sdc and write')
    await shoot('5-review-stick')

    await review.getByTestId('media-start').click()
    await expect.poll(() => review.getByTestId('media-start-error').textContent()).toMatch(/This confirmation is unknown or has expired.*Nothing was written/)
    await page.unroute('**/api/invoke')
  })

  it('ran without errors in the browser console', () => {
    expect(consoleErrors).toEqual([])
  })
})
