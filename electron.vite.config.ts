import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { contentSecurityPolicy } from './src/shared/csp'

// Electron is an optional dependency (its binary cannot always be downloaded); pin the
// major so the build targets the same runtime whether or not the package is present.
process.env.ELECTRON_MAJOR_VER ??= '41'

export default defineConfig(({ command }) => ({
  main: {
    build: {
      // zod is bundled so that only what the contract uses is loaded: required whole, its
      // CommonJS build (every locale included) took half of the command line's start-up.
      externalizeDeps: { exclude: ['zod'] },
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          server: resolve('src/main/server.ts'),
          cli: resolve('src/cli/index.ts'),
          worker: resolve('src/main/jobs/worker.ts'),
        },
        // Shared chunks sit beside the entries, so __dirname is the same folder everywhere
        // and the worker pool finds worker.js next to whichever chunk holds it.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() anything but electron: bundle it whole.
      externalizeDeps: false,
      rolldownOptions: { input: { index: resolve('src/preload/index.ts') } },
    },
  },
  renderer: {
    root: 'src/renderer',
    // Relative asset URLs: the same build loads from file:// in Electron and from the server.
    base: './',
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [
      react(),
      {
        name: 'imaging:csp',
        transformIndexHtml: (html: string) =>
          html.replace('%CSP%', contentSecurityPolicy({ dev: command === 'serve' })),
      },
    ],
  },
}))
