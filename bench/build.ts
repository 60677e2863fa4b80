/**
 * Bundles the benchmarks' own scripts the way electron-vite bundles the main process (one
 * CommonJS file per entry for Node, dependencies and builtins external), so a script side
 * runs the same compiled code the app ships rather than TypeScript through tsx.
 */
import { build } from 'vite'
import { ROOT, SCRIPTS_DIR } from './harness'

export async function buildScripts(entries: Record<string, string>): Promise<void> {
  if (Object.keys(entries).length === 0) return
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir: SCRIPTS_DIR,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rolldownOptions: { input: entries, output: { format: 'cjs', entryFileNames: '[name].js' } },
    },
  })
}
