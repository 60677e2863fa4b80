import { existsSync } from 'node:fs'
import { which } from '../../src/main/platform/which'

const warned = new Set<string>()

/**
 * Whether a real peer tool is missing. In CI (CI=true) a missing tool is an error, so a test
 * can never pass by skipping there; elsewhere the test is skipped with the package named.
 */
export function missingTool(command: string, debianPackage: string): boolean {
  if (which(command)) return false
  const message = `${command} not found: install the Debian package ${debianPackage} (bash .ci/run installs everything)`
  if (process.env.CI) throw new Error(message)
  if (!warned.has(command)) {
    warned.add(command)
    console.warn(`skipping tests that need ${message}`)
  }
  return true
}

/** Full path of a tool the caller has checked with missingTool. */
export function toolPath(command: string): string {
  const path = which(command)
  if (!path) throw new Error(`${command} not found`)
  return path
}

/**
 * A missing file of a Debian package: like missingTool, an error in CI (CI=true) and a
 * skip with the package named elsewhere.
 */
export function missingFile(path: string, debianPackage: string): boolean {
  if (existsSync(path)) return false
  const message = `${path} not found: install the Debian package ${debianPackage}`
  if (process.env.CI) throw new Error(message)
  console.warn(`skipping tests that need ${message}`)
  return true
}
