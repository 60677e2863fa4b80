export type HostPlatform = 'linux' | 'win32' | 'darwin'

export interface ToolStatus {
  id: string
  name: string
  command: string
  /** Whether this tool exists for the host OS at all (DISM is Windows only, ...). */
  applicable: boolean
  found: boolean
  path: string | null
  version: string | null
  /** What the app can do with it, in a technician's words. */
  unlocks: string
  /** How to get it on this host. */
  howToGet: string
  error: string | null
}

export interface EnvironmentReport {
  appVersion: string
  platform: HostPlatform | string
  arch: string
  osRelease: string
  nodeVersion: string
  electronVersion: string | null
  cpuCount: number
  workerThreads: number
  memoryBytes: number
  /** Whether the process can write raw devices (root / Administrator). */
  elevated: boolean
  dataDir: string
  tools: ToolStatus[]
  checkedAt: number
}
