/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { missingTool } from '../support/tools'
import { buildSampleTree, wimlib, wimlibAppend, wimlibCapture } from '../support/wim-fixtures'
import { chromiumMissing, launchChromium, screenshotDir, startBuiltServer, type ServerHandle } from './harness'

describe.skipIf(chromiumMissing() || missingTool('wimlib-imagex', 'wimtools'))('Images page', () => {
  let server: ServerHandle
  let page: Page
  let wim: string

  beforeAll(async () => {
    server = await startBuiltServer()
    const tree = join(server.dataDir, 'tree')
    buildSampleTree(tree)
    wim = join(server.dataDir, 'sample.wim')
    wimlibCapture(tree, wim, { compress: 'none', name: 'Reference PC', description: 'Captured for a test' })
    wimlibAppend(join(tree, 'unicode'), wim, { compress: 'none', name: 'Second image' })
    const browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } })
    await page.goto(server.openUrl)
    await page.getByTestId('nav-images').click()
  })

  it('opens a WIM and shows its images', async () => {
    await page.getByTestId('wim-path').fill(wim)
    await page.getByTestId('wim-open').click()
    await expect.poll(() => page.getByTestId('wim-summary').textContent()).toContain(wim)
    expect(await page.getByTestId('wim-image-row').count()).toBe(2)
    expect(await page.getByTestId('wim-images').textContent()).toContain('Second image')
  })

  it('browses the files of an image folder by folder', async () => {
    await page.getByTestId('image-files').getByText('unicode', { exact: true }).click()
    await expect.poll(() => page.getByTestId('image-files').textContent()).toContain('Español.txt')
    await page.screenshot({ path: join(screenshotDir, 'images-browse.png'), fullPage: true })
    await page.getByTestId('breadcrumb').first().click()
    await expect.poll(() => page.getByTestId('image-files').textContent()).toContain('readme.txt')
  })

  it('shows an image\'s details', async () => {
    await page.getByRole('tab', { name: 'Details' }).click()
    await expect.poll(() => page.getByTestId('wim-image-details').textContent()).toContain('Captured for a test')
    await page.getByRole('tab', { name: 'Files' }).click()
  })

  it('applies the image to a folder as a job and shows its progress to the end', async () => {
    await page.getByTestId('wim-apply').click()
    const target = join(server.dataDir, 'applied')
    await page.getByTestId('destination-path').fill(target)
    await page.getByTestId('destination-start').click()
    await page.locator('[data-testid="job-card"][data-state="succeeded"]').first().waitFor({ timeout: 30_000 })
    expect(readFileSync(join(target, 'unicode', 'Español.txt'), 'utf8')).toBe('hola')
    await page.screenshot({ path: join(screenshotDir, 'images-applied.png'), fullPage: true })
  })

  it('exports an image to a new WIM, renames and deletes images, as jobs and quick edits', async () => {
    await page.getByTestId('wim-export').click()
    const dest = join(server.dataDir, 'exported.wim')
    await page.getByTestId('export-dest').fill(dest)
    await page.screenshot({ path: join(screenshotDir, 'images-export-dialog.png') })
    await page.getByTestId('export-start').click()
    await expect.poll(() => page.locator('[data-testid="job-card"][data-kind="wim-export"][data-state="succeeded"]').count(), { timeout: 30_000 }).toBe(1)
    expect(wimlib(['info', dest])).toMatch(/Image Count:\s+1/)

    await page.getByTestId('wim-image-row').nth(1).click()
    await page.getByTestId('image-more').click()
    await page.getByTestId('image-edit').click()
    await page.getByTestId('edit-name').fill('Second, renamed')
    await page.getByTestId('edit-save').click()
    await expect.poll(() => page.getByTestId('wim-images').textContent()).toContain('Second, renamed')

    await page.getByTestId('wim-image-row').nth(1).click()
    await page.getByTestId('image-more').click()
    await page.getByTestId('image-delete').click()
    await page.getByTestId('image-delete-confirm').click()
    await expect.poll(() => page.getByTestId('wim-image-row').count()).toBe(1)
    expect(wimlib(['verify', wim])).toMatch(/(verified|OK)/i)
  })

  it('says clearly when a file is not a WIM', async () => {
    await page.getByTestId('wim-path').fill(join(server.dataDir, 'tree', 'big', 'text-1m.txt'))
    await page.getByTestId('wim-open').click()
    await expect.poll(() => page.getByTestId('wim-error').textContent()).toMatch(/not a WIM file/)
  })
})
