import type { Command } from 'commander'
import type { ToolStatus } from '../../shared/environment'
import { formatBytes } from '../../shared/format'
import { printJson, withClient } from '../context'
import { renderTable } from '../table'

function status(tool: ToolStatus): string {
  if (!tool.applicable) return 'n/a on this OS'
  if (!tool.found) return 'missing'
  return tool.error ? 'broken' : 'found'
}

export function registerEnv(program: Command): void {
  program
    .command('env')
    .description('show the host, the tools the app can use, and what each one unlocks')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const report = await withClient((client) => client.api.env.report({}))
      if (opts.json) return printJson(report)
      const out: string[] = [
        `Imaging Workstation ${report.appVersion}`,
        `Host:        ${report.platform} ${report.arch} (${report.osRelease}), Node ${report.nodeVersion}`,
        `CPU / RAM:   ${report.cpuCount} cores (${report.workerThreads} worker threads), ${formatBytes(report.memoryBytes)}`,
        `Privileges:  ${report.elevated ? 'elevated (can write raw disks)' : 'normal user (writing a disk will ask for elevation)'}`,
        `Data folder: ${report.dataDir}`,
        '',
        renderTable(
          report.tools.filter((t) => t.applicable),
          [
            { header: 'Tool', value: (t) => t.name },
            { header: 'Status', value: status },
            { header: 'Version', value: (t) => t.version ?? '' },
            { header: 'Unlocks', value: (t) => t.unlocks },
          ],
        ),
      ]
      const missing = report.tools.filter((t) => t.applicable && !t.found)
      if (missing.length) {
        out.push('', 'To get the missing tools:')
        for (const t of missing) out.push(`  ${t.name}: ${t.howToGet}`)
      }
      process.stdout.write(`${out.join('\n')}\n`)
    })
}
