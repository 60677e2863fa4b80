import type { HostPlatform, ToolStatus } from '../../shared/environment'
import { runTool } from './run-tool'
import { TOOL_CATALOG, type ToolDef } from './tool-catalog'
import { which } from './which'

const VERSION_RE = /\b(?:v(?:ersion)?\s*)?(\d+\.\d+(?:\.\d+){0,2}[a-z0-9.-]*)/i

/** The first version-looking token of a tool's output (tools print their own name and version first). */
export function parseToolVersion(output: string): string | null {
  const line = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => VERSION_RE.test(l))
  return line?.match(VERSION_RE)?.[1] ?? null
}

export async function detectTool(def: ToolDef, platform: HostPlatform | string): Promise<ToolStatus> {
  const applicable = (def.platforms as readonly string[]).includes(platform)
  const howToGet = def.howToGet[platform as HostPlatform] ?? 'Not available on this operating system'
  const base = { id: def.id, name: def.name, command: def.command, applicable, unlocks: def.unlocks, howToGet }
  const path = applicable ? which(def.command) : null
  if (!path) return { ...base, found: false, path: null, version: null, error: null }
  try {
    const out = await runTool(path, def.versionArgs, { timeoutMs: 8000 })
    return { ...base, found: true, path, version: parseToolVersion(`${out.stdout}\n${out.stderr}`), error: null }
  } catch (error) {
    return { ...base, found: true, path, version: null, error: `Found but did not run: ${(error as Error).message}` }
  }
}

export function detectTools(platform: HostPlatform | string = process.platform): Promise<ToolStatus[]> {
  return Promise.all(TOOL_CATALOG.map((def) => detectTool(def, platform)))
}
