import { execFile } from 'node:child_process'

export interface ToolOutput {
  exitCode: number | null
  stdout: string
  stderr: string
}

/**
 * Run a host tool and collect its output, whatever its exit code (many tools print their
 * version with a non-zero exit). Rejects only when the tool cannot be started or times out.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        timeout: options.timeoutMs ?? 10_000,
        maxBuffer: 16 * 1024 * 1024,
        windowsHide: true,
        encoding: 'utf8',
        signal: options.signal,
        env: options.env ?? { ...process.env, LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code
        if (error && (typeof code === 'string' || (error as { killed?: boolean }).killed)) {
          reject(error)
          return
        }
        const exitCode = error ? ((error as { code?: number }).code ?? null) : 0
        resolve({ exitCode, stdout, stderr })
      },
    )
  })
}
