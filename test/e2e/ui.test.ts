/// <reference lib="dom" />
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROUTE_TITLES, ROUTES } from '../../src/renderer/src/route-ids'
import { chromiumMissing, openApp, screenshotDir, startBuiltServer, type ServerHandle } from './harness'

describe.skipIf(chromiumMissing())('UI in a real browser against the headless server', () => {
  let server: ServerHandle
  let browser: Browser
  let page: Page
  let consoleErrors: string[]

  beforeAll(async () => {
    server = await startBuiltServer()
    ;({ browser, page, consoleErrors } = await openApp(server, 860))
  })

  it('asks for the token when the URL does not carry it', async () => {
    const other = await browser.newPage()
    await other.goto(server.url)
    await expect.poll(() => other.getByText('This page needs the access token').isVisible()).toBe(true)
    await other.close()
  })

  it('removes the token from the address bar once read', () => {
    expect(page.url()).not.toContain('token=')
  })

  it('opens every page from the navigation, in light and dark themes', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.evaluate((s) => localStorage.setItem('imaging.color-scheme', s), scheme)
      await page.reload()
      for (const route of ROUTES) {
        await page.getByTestId(`nav-${route}`).click()
        await page.getByRole('heading', { name: ROUTE_TITLES[route], level: 2 }).waitFor()
        await page.waitForTimeout(route === 'environment' ? 800 : 150)
        await page.screenshot({ path: join(screenshotDir, `${route}-${scheme}.png`), fullPage: true })
      }
      expect(await page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe(scheme)
    }
    await page.evaluate(() => localStorage.setItem('imaging.color-scheme', 'light'))
    await page.reload()
  })

  it('says plainly when a page has no engine yet', async () => {
    await page.getByTestId('nav-deploy').click()
    await expect.poll(() => page.getByTestId('pending-engine').textContent()).toMatch(/Not built into this version: an NTFS Windows partition/)
  })

  it('lists the drives, with the system disk flagged, and takes an image file as a target', async () => {
    await page.getByTestId('nav-drives').click()
    const rows = page.getByTestId('disk-row')
    await expect.poll(() => rows.count()).toBeGreaterThan(0)
    const system = page.locator('[data-testid="disk-row"][data-system="true"]')
    if ((await system.count()) > 0) await expect.poll(() => system.first().textContent()).toMatch(/System disk/)
    await expect.poll(() => page.getByTestId('hotplug-mode').textContent()).toMatch(/Live · (USB events|polling)/)

    const image = join(server.dataDir, 'target.img')
    writeFileSync(image, Buffer.alloc(1 << 20))
    await page.getByTestId('image-file-path').fill(image)
    await page.getByTestId('image-file-add').click()
    await expect.poll(() => page.getByTestId('image-file-table').textContent()).toContain(image)
    await expect.poll(() => page.getByTestId('image-file-table').textContent()).toContain('1.0 MiB')

    await page.getByTestId('image-file-path').fill('relative.img')
    await page.getByTestId('image-file-add').click()
    await expect.poll(() => page.getByText(/must be an absolute path/).isVisible()).toBe(true)
    await page.screenshot({ path: join(screenshotDir, 'drives-with-image-file.png'), fullPage: true })
  })

  it('shows a running job with live progress, and cancels it', async () => {
    await page.getByTestId('nav-jobs').click()
    await page.getByTestId('self-test-size').click()
    await page.getByRole('option', { name: '16 GiB' }).click()
    await page.getByTestId('self-test-start').click()
    const card = page.locator('[data-testid="job-card"][data-state="running"]').first()
    await card.waitFor()
    const progress = card.getByTestId('job-progress')
    await expect.poll(async () => Number(await progress.getAttribute('data-value')), { timeout: 15_000 }).toBeGreaterThan(0)
    const first = Number(await progress.getAttribute('data-value'))
    await expect.poll(async () => Number(await progress.getAttribute('data-value')), { timeout: 15_000 }).toBeGreaterThan(first)
    await page.screenshot({ path: join(screenshotDir, 'jobs-running.png'), fullPage: true })
    await card.getByTestId('job-cancel').click()
    const cancelled = page.locator('[data-testid="job-card"][data-state="cancelled"]').first()
    await cancelled.waitFor({ timeout: 20_000 })
    await cancelled.getByRole('button', { name: /Log/ }).click()
    await expect.poll(() => cancelled.getByTestId('job-log').textContent()).toMatch(/Cancel requested/)
  })

  it('runs a job to completion', async () => {
    await page.getByTestId('self-test-size').click()
    await page.getByRole('option', { name: '256 MiB' }).click()
    await page.getByTestId('self-test-start').click()
    await page.locator('[data-testid="job-card"][data-state="succeeded"]').first().waitFor({ timeout: 30_000 })
    await page.screenshot({ path: join(screenshotDir, 'jobs-done.png'), fullPage: true })
  })

  it('shows the detected tools on the Environment page', async () => {
    await page.getByTestId('nav-environment').click()
    const table = page.getByTestId('tool-table')
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('wimlib-imagex')
    expect(await page.locator('[data-testid="tool-row"][data-found="true"]').count()).toBeGreaterThan(0)
  })

  it('ran without errors in the browser console', () => {
    expect(consoleErrors).toEqual([])
  })
})
