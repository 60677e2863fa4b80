/** Electron entry: one sandboxed window over the engine. All capability lives in the service. */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { createEngine, type Engine } from './api/engine'
import { serveIpc } from './transport/ipc'

const devServerUrl = process.env.ELECTRON_RENDERER_URL
const indexFile = join(__dirname, '..', 'renderer', 'index.html')
const indexUrl = pathToFileURL(indexFile).href

function isTrustedUrl(url: string): boolean {
  return devServerUrl ? url.startsWith(devServerUrl) : url === indexUrl || url.startsWith(`${indexUrl}#`)
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 980,
    minHeight: 620,
    show: false,
    title: 'Imaging Workstation',
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Help links open in the user's browser; the app never opens windows of its own.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault()
  })
  void (devServerUrl ? win.loadURL(devServerUrl) : win.loadFile(indexFile))
  return win
}

async function start(): Promise<Engine> {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  const engine = await createEngine({ electronVersion: process.versions.electron ?? null, watchDrives: true })
  serveIpc(ipcMain, engine.service, isTrustedUrl, () => BrowserWindow.getAllWindows().map((w) => w.webContents))
  createWindow()
  return engine
}

app.enableSandbox()
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let engine: Engine | null = null
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
  void app.whenReady().then(async () => {
    engine = await start()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
  })
  app.on('window-all-closed', () => {
    void engine?.close().finally(() => app.quit())
    if (!engine) app.quit()
  })
}
