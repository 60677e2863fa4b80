import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll } from 'vitest'
import { missingTool, toolPath } from '../support/tools'

export const root = join(__dirname, '..', '..')
export const screenshotDir = join(root, 'test-results', 'screenshots')

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface ServerHandle {
  url: string
  openUrl: string
  dataDir: string
  process: ChildProcess
}

/**
 * What this test file started, ended once its tests are done. The hook is registered when the
 * file imports this module: one registered from inside a beforeAll would never run, and the
 * servers and browsers would outlive the test run.
 */
const started: Array<{ child: ChildProcess; dataDir: string }> = []
const browsers: Browser[] = []
afterAll(async () => {
  await Promise.all(browsers.splice(0).map((b) => b.close()))
  for (const { child, dataDir } of started.splice(0)) {
    // The server cancels its jobs and exits; its folder (gigabytes after a media test) goes
    // only once nothing writes into it any more.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(killer)
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
}, 30_000)

/** The built headless server (`out/main/server.js`), as `npm run serve` starts it. */
export async function startBuiltServer(): Promise<ServerHandle> {
  const entry = join(root, 'out', 'main', 'server.js')
  if (!existsSync(entry)) throw new Error('out/main/server.js is missing: run `npm run build` first (npm test does)')
  const dataDir = mkdtempSync(join(tmpdir(), 'imaging-e2e-'))
  const child = spawn(process.execPath, [entry], { env: { ...process.env, IMAGING_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push({ child, dataDir })
  const openUrl = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = out.match(/Open (http:\/\/\S+)/)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)))
  })
  return { url: openUrl.split('/#')[0]!, openUrl, dataDir, process: child }
}

export function chromiumMissing(): boolean {
  return missingTool('chromium', 'chromium')
}

export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: toolPath('chromium'), args: CHROMIUM_ARGS })
  browsers.push(browser)
  mkdirSync(screenshotDir, { recursive: true })
  return browser
}

export interface AppPage {
  browser: Browser
  page: Page
  /** Errors the page logged or threw; every UI test ends by expecting none. */
  consoleErrors: string[]
}

/** The app's first page (Drives) in a fresh browser, with the console watched for errors. */
export async function openApp(server: ServerHandle, viewportHeight = 900): Promise<AppPage> {
  const consoleErrors: string[] = []
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1360, height: viewportHeight } })
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  await page.goto(server.openUrl)
  await page.getByRole('heading', { name: 'Drives', level: 2 }).waitFor()
  return { browser, page, consoleErrors }
}

/**
 * The page as it is now, in the light theme and then the dark one, as `<name>-light.png` and
 * `<name>-dark.png`. The theme is switched in place: a reload would lose a wizard's state.
 */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  // The header is fixed: a scrolled page would show it in the middle of a full-page picture.
  await page.evaluate(() => window.scrollTo(0, 0))
  // The pointer away from the content: no hover highlight in the picture.
  await page.mouse.move(600, 880)
  await page.waitForTimeout(150)
  await page.screenshot({ path: join(screenshotDir, `${name}-light.png`), fullPage: true })
  await page.getByRole('button', { name: 'Switch to dark theme' }).click()
  await page.mouse.move(600, 880)
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(screenshotDir, `${name}-dark.png`), fullPage: true })
  await page.getByRole('button', { name: 'Switch to light theme' }).click()
}
