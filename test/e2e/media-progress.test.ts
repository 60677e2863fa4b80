/// <reference lib="dom" />
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { missingTool } from '../support/tools'
import { buildWindowsLikeTree } from '../support/windows-iso'
import { chromiumMissing, shootBothThemes, startBuiltServer, type ServerHandle } from './harness'
import { next, openMediaWizard, X64_ENGLISH } from './media-wizard'

// Large enough that writing and reading back take seconds, so the running job can be seen and cancelled.
const PAYLOAD_BYTES = 1200 * 1024 * 1024

const missingPeers = chromiumMissing() || missingTool('wimlib-imagex', 'wimtools')

describe.skipIf(missingPeers)('Create media wizard: a long write followed live, cancelled, then done again', () => {
  let server: ServerHandle
  let page: Page
  let consoleErrors: string[]
  let tree: string
  let image: string

  const runningJob = () => page.locator('[data-testid="media-progress"] [data-testid="job-card"][data-state="running"]')

  beforeAll(async () => {
    server = await startBuiltServer()
    // A folder source (an extracted ISO): the same inspection, without the time an ISO of this size takes to make.
    tree = join(server.dataDir, 'Win11_extracted')
    buildWindowsLikeTree(tree, { editions: ['Windows 11 Pro'], compress: 'xpress', payloadBytes: PAYLOAD_BYTES, imageProperties: X64_ENGLISH })
    image = join(server.dataDir, 'big.img')
    const opened = await openMediaWizard(server)
    page = opened.page
    consoleErrors = opened.consoleErrors
  }, 240_000)

  it('takes an extracted ISO folder as its source and a new image file sized to fit', async () => {
    await page.getByTestId('media-source').fill(tree)
    await page.getByTestId('media-inspect').click()
    await expect.poll(() => page.getByTestId('media-inspection').textContent(), { timeout: 30_000 }).toContain('— (a folder)')
    await next(page)
    await next(page)
    await page.getByTestId('media-image-path').fill(image)
    await page.getByTestId('media-image-add').click()
    await next(page)
    await next(page)
    await expect.poll(() => page.getByTestId('erase-alert').textContent(), { timeout: 30_000 }).toMatch(/This creates image file .*big\.img/)
  })

  it('shows the write as it runs (phase, bytes, rate, ETA), cancels it, removes the half-made image file and says so with the log', async () => {
    await page.getByTestId('media-start').click()
    const card = runningJob()
    await card.waitFor({ timeout: 30_000 })
    // The rate, and with it the ETA, is known once some bytes have gone by.
    await expect.poll(() => card.textContent(), { timeout: 30_000, interval: 50 }).toMatch(/ETA \d+:\d\d/)
    const progress = Number(await card.getByTestId('job-progress').getAttribute('data-value'))
    const text = (await card.textContent()) ?? ''
    // Cancel at once: the whole job takes only a few seconds here.
    await card.getByTestId('job-cancel').click()
    expect(progress).toBeGreaterThan(0)
    expect(text).toMatch(/of 1\.\d GiB\d+(\.\d)? [MG]iB\/s/)
    expect(text).toContain('Engine: built-in')
    const summary = page.locator('[data-testid="media-summary"][data-state="cancelled"]')
    await summary.waitFor({ timeout: 30_000 })
    expect(await summary.getByTestId('media-result').textContent()).toMatch(/^CancelledCancelled by the user — the unfinished image file .*big\.img was removed$/)
    await expect.poll(() => summary.getByTestId('job-log').textContent()).toMatch(/Removed the unfinished image file .*big\.img/)
    expect(existsSync(image)).toBe(false)
    await shootBothThemes(page, 'media-6-cancelled')
  })

  it('goes back to the review, writes again and shows the read-back in the Verify step', async () => {
    await page.getByTestId('media-retry').click()
    // Reading back can take less than a second here: a page observer records that the Verify
    // step was shown, however briefly, where polling could miss it.
    await page.evaluate(() => {
      const seen = window as unknown as { verifyShown: boolean }
      seen.verifyShown = false
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="media-progress"]')?.textContent?.includes('Everything written is being read back')) seen.verifyShown = true
      }).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    await page.getByTestId('media-start').click()
    const summary = page.locator('[data-testid="media-summary"][data-state="succeeded"]')
    await summary.waitFor({ timeout: 90_000 })
    expect(await summary.getByTestId('media-verified').textContent()).toContain('Verified')
    expect(await page.evaluate(() => (window as unknown as { verifyShown: boolean }).verifyShown)).toBe(true)
    expect(existsSync(image)).toBe(true)
  })

  it('ran without errors in the browser console', () => {
    expect(consoleErrors).toEqual([])
  })
})
