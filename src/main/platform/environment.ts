import { availableParallelism, release, totalmem } from 'node:os'
import type { EnvironmentReport } from '../../shared/environment'
import { detectTools } from './detect-tools'
import { runTool } from './run-tool'

/** Whether this process may write raw devices: root on POSIX, an elevated token on Windows. */
export async function isElevated(platform = process.platform): Promise<boolean> {
  if (platform !== 'win32') return process.getuid?.() === 0
  try {
    // `net session` only succeeds for Administrators.
    return (await runTool('net', ['session'], { timeoutMs: 5000 })).exitCode === 0
  } catch {
    return false
  }
}

export interface EnvironmentInfo {
  appVersion: string
  electronVersion: string | null
  dataDir: string
  workerThreads: number
}

/** Detects the host once and caches it; refresh re-runs the tool probes. */
export class EnvironmentService {
  private cached: Promise<EnvironmentReport> | null = null

  constructor(private readonly info: EnvironmentInfo) {}

  report(refresh = false): Promise<EnvironmentReport> {
    if (!this.cached || refresh) this.cached = this.detect()
    return this.cached
  }

  private async detect(): Promise<EnvironmentReport> {
    const [tools, elevated] = await Promise.all([detectTools(), isElevated()])
    return {
      appVersion: this.info.appVersion,
      platform: process.platform,
      arch: process.arch,
      osRelease: release(),
      nodeVersion: process.versions.node,
      electronVersion: this.info.electronVersion,
      cpuCount: availableParallelism(),
      workerThreads: this.info.workerThreads,
      memoryBytes: totalmem(),
      elevated,
      dataDir: this.info.dataDir,
      tools,
      checkedAt: Date.now(),
    }
  }
}
