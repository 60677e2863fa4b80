/// <reference lib="dom" />
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { missingTool } from '../support/tools'
import { buildSampleTree, wimlib } from '../support/wim-fixtures'
import { chromiumMissing, launchChromium, screenshotDir, startBuiltServer, type ServerHandle } from './harness'

describe.skipIf(chromiumMissing() || missingTool('wimlib-imagex', 'wimtools'))('Capture page', () => {
  let server: ServerHandle
  let page: Page

  beforeAll(async () => {
    server = await startBuiltServer()
    buildSampleTree(join(server.dataDir, 'reference'))
    const browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 } })
    await page.goto(server.openUrl)
    await page.getByTestId('nav-capture').click()
  })

  it('captures a folder into a new WIM that wimlib verifies, and shows what it stored', async () => {
    const wim = join(server.dataDir, 'reference.wim')
    await page.getByTestId('capture-source').fill(join(server.dataDir, 'reference'))
    await page.getByTestId('capture-wim').fill(wim)
    await page.getByTestId('capture-name').fill('Reference PC')
    await page.getByTestId('capture-compression').click()
    await page.getByRole('option', { name: /^None/ }).click()
    await page.screenshot({ path: join(screenshotDir, 'capture-form.png'), fullPage: true })
    await page.getByTestId('capture-start').click()
    await expect.poll(() => page.getByTestId('capture-summary').textContent(), { timeout: 30_000 }).toMatch(/Image 1 "Reference PC"/)
    // Each ended phase keeps what it counted: the write phase, every byte of the tree's contents.
    expect(await page.getByTestId('job-phase').allTextContents()).toEqual(['Scan the folder', expect.stringMatching(/^Find duplicate files · [\d.]+ KiB$/), expect.stringMatching(/^Compress and write · 1\.\d MiB$/), 'Write metadata and tables'])
    await page.screenshot({ path: join(screenshotDir, 'capture-done.png'), fullPage: true })
    expect(wimlib(['verify', wim])).toMatch(/(verified|OK)/i)
  })

  it('refuses a folder that does not exist, naming it', async () => {
    await page.getByTestId('capture-source').fill(join(server.dataDir, 'missing'))
    await page.getByTestId('capture-wim').fill(join(server.dataDir, 'other.wim'))
    await page.getByTestId('capture-start').click()
    await expect.poll(() => page.locator('[data-testid="job-card"][data-state="failed"]').textContent(), { timeout: 20_000 }).toMatch(/missing/)
  })
})
