/// <reference lib="dom" />
import { truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissing, openApp, screenshotDir, startBuiltServer, type ServerHandle } from './harness'

describe.skipIf(chromiumMissing())('Drives page: layouts and confirmed writes, in a real browser', () => {
  let server: ServerHandle
  let page: Page
  let consoleErrors: string[]

  beforeAll(async () => {
    server = await startBuiltServer()
    ;({ page, consoleErrors } = await openApp(server))
  })

  it('shows the system disk with every write action disabled', async () => {
    const system = page.locator('[data-testid="disk-row"][data-system="true"]').first()
    if ((await system.count()) === 0) return
    await system.click()
    const detail = page.getByTestId('drive-detail')
    await expect.poll(() => detail.textContent()).toMatch(/it is never written/)
    expect(await detail.getByTestId('action-restore').isDisabled()).toBe(true)
    expect(await detail.getByTestId('action-partition').isDisabled()).toBe(true)
    await page.screenshot({ path: join(screenshotDir, 'drives-system-disk.png'), fullPage: true })
  })

  it('restores an image file after showing what is erased, follows the job, then shows the new layout', async () => {
    const image = join(server.dataDir, 'stick.img')
    writeFileSync(image, Buffer.alloc(0))
    truncateSync(image, 512 * 1024 * 1024)
    await page.getByTestId('image-file-path').fill(image)
    await page.getByTestId('image-file-add').click()
    await page.getByTestId('image-file-row').first().click()
    const detail = page.getByTestId('drive-detail')
    await expect.poll(() => detail.textContent()).toMatch(/No partitions: blank/)

    await detail.getByTestId('action-partition').click()
    await page.getByTestId('write-review-button').click()
    const review = page.getByTestId('write-review')
    await expect.poll(() => review.textContent()).toMatch(/This erases image file .*stick\.img \(512\.0 MiB\)/)
    await expect.poll(() => review.textContent()).toMatch(/AfterwardsA new GPT table \(usb-uefi\): IMAGING 510\.0 MiB \(empty FAT32\)/)
    await page.getByTestId('write-start').click()
    const card = page.locator('[data-testid="write-dialog"] [data-testid="job-card"][data-state="succeeded"]')
    await card.waitFor({ timeout: 30_000 })
    await page.screenshot({ path: join(screenshotDir, 'drives-partition-done.png'), fullPage: true })
    await page.getByTestId('write-close').click()
    await expect.poll(() => detail.getByTestId('layout-table').textContent()).toMatch(/IMAGING.*Basic data/)

    await detail.getByTestId('action-restore').click()
    await page.getByTestId('write-review-button').click()
    await expect.poll(() => page.getByTestId('erase-table').textContent()).toMatch(/IMAGING/)
    await expect.poll(() => review.textContent()).toMatch(/It holds a GPT partition table with 1 partition: partition 1 "IMAGING"/)
    await page.screenshot({ path: join(screenshotDir, 'drives-restore-review.png'), fullPage: true })
    await page.getByTestId('write-start').click()
    await card.waitFor({ timeout: 30_000 })
    await page.getByTestId('write-close').click()
    await expect.poll(() => detail.getByTestId('layout-table').textContent()).toMatch(/FAT32 \(LBA\)/)
    await page.screenshot({ path: join(screenshotDir, 'drives-layout.png'), fullPage: true })
  })

  it('says why a write image request is refused', async () => {
    const detail = page.getByTestId('drive-detail')
    await detail.getByTestId('action-write-image').click()
    await page.getByTestId('image-path').fill(join(server.dataDir, 'missing.img'))
    await page.getByTestId('write-review-button').click()
    await expect.poll(() => page.getByTestId('write-error').textContent()).toMatch(/Cannot open .*missing\.img/)
  })

  it('ran without errors in the browser console', () => {
    expect(consoleErrors).toEqual([])
  })
})
