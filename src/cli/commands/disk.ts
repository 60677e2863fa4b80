import type { Command } from 'commander'
import type { Drive } from '../../shared/drives'
import { formatBytes } from '../../shared/format'
import { printJson, withClient } from '../context'
import { renderTable } from '../table'

export function driveFlags(d: Drive): string {
  const flags: string[] = []
  if (d.isSystem) flags.push(`SYSTEM (${d.systemReason ?? 'host disk'})`)
  if (d.isReadOnly) flags.push('read-only')
  if (d.kind === 'disk') flags.push(d.isUSB ? 'usb' : d.isRemovable ? 'removable' : 'fixed')
  if (d.isVirtual) flags.push('virtual')
  if (d.kind === 'image-file' && !d.exists) flags.push('new file')
  return flags.join(', ')
}

export function registerDisk(program: Command): void {
  const disk = program.command('disk').description('disks and image files that can be written')
  disk
    .command('list')
    .description('list whole disks (the system disk is flagged and never written) and registered image files')
    .option('--json', 'print the listing as JSON')
    .action(async (opts: { json?: boolean }) => {
      const listing = await withClient((client) => client.api.drives.list({ refresh: true }))
      if (opts.json) return printJson(listing)
      if (listing.error) process.stderr.write(`warning: ${listing.error}\n`)
      const rows = [...listing.disks, ...listing.imageFiles]
      process.stdout.write(
        `${renderTable(rows, [
          { header: 'Device', value: (d) => d.device },
          { header: 'Size', value: (d) => formatBytes(d.sizeBytes), align: 'right' },
          { header: 'Bus', value: (d) => d.bus ?? (d.kind === 'image-file' ? 'file' : '') },
          { header: 'Table', value: (d) => d.partitionTable?.toUpperCase() ?? '' },
          { header: 'Flags', value: driveFlags },
          { header: 'Description', value: (d) => d.description },
          { header: 'Mounted', value: (d) => d.volumes.map((v) => v.mountpoint).join(' ') },
        ])}\n`,
      )
    })
}
