import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { Drive, DriveLayoutReport, DriveWriteResult, WriteOperation, WritePreparation } from '../../shared/drives'
import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import { startConfirmedWrite, type RequestedWriteOperation } from '../../shared/drive-writes'
import { runHelper } from '../../main/disk/elevation/helper'
import { printJson, runJobCommand, withClient } from '../context'
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

/** A device path names a disk; anything else is an image file (created by the write when new). */
export function targetId(arg: string): string {
  return arg.startsWith('/dev/') || arg.startsWith('\\\\.\\') ? arg : `file:${resolve(arg)}`
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }

/** "8G", "512M", "1.5T" or plain bytes; binary units, as dd and truncate read them. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim())
  if (!match) throw new AppError('VALIDATION', `--size ${text}: expected a size like 8G, 512M or a number of bytes`, { field: 'size' })
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase()]!)
}

export function describeLayoutReport(report: DriveLayoutReport): string {
  const head = `${report.device}: ${formatBytes(report.sizeBytes)}, ${report.sectorSize}-byte sectors, ${report.table ? `${report.table.toUpperCase()} ${report.diskId ?? ''}` : 'no partition table'}`
  const lines = [head.trimEnd()]
  if (report.partitions.length > 0) {
    lines.push(
      '',
      renderTable(report.partitions, [
        { header: '#', value: (p) => String(p.index), align: 'right' },
        { header: 'Name', value: (p) => p.name },
        { header: 'Type', value: (p) => p.typeLabel },
        { header: 'Start', value: (p) => formatBytes(p.startBytes), align: 'right' },
        { header: 'Size', value: (p) => formatBytes(p.sizeBytes), align: 'right' },
        { header: 'Flags', value: (p) => p.flags.join(', ') },
      ]),
    )
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`)
  return lines.join('\n')
}

function describePreparation(prep: WritePreparation): string {
  return [...prep.erases.summary, `Afterwards: ${prep.outcome.replaceAll('\n', '\n  ')}`, `Verify: ${prep.verify ? 'yes, read back after writing' : 'no'}`, ...prep.warnings.map((w) => `warning: ${w}`)].join('\n')
}

export interface WriteFlags {
  yes?: boolean
  json?: boolean
  verify?: boolean
  size?: string
  confirm?: string
}

/**
 * Every destructive command: says what will be erased, refuses without --yes (and, for a
 * fixed disk, without its name in --confirm), then runs the job with the one-time token.
 */
export async function destructive(target: string, operation: RequestedWriteOperation, flags: WriteFlags): Promise<void> {
  const result = await runJobCommand<DriveWriteResult>(async (client) => {
    const request = {
      target: targetId(target),
      ...(flags.verify === undefined ? {} : { verify: flags.verify }),
      ...(flags.size ? { createSizeBytes: parseSize(flags.size) } : {}),
    }
    const prep = await client.api.drives.prepareWrite({ ...request, operation })
    process.stderr.write(`${describePreparation(prep)}\n`)
    if (!flags.yes) {
      throw new AppError('VALIDATION', `Refusing to erase ${prep.driveLabel} without --yes: read the above, then run the command again with --yes`, { field: 'yes' })
    }
    if (prep.typedConfirmation && flags.confirm !== prep.typedConfirmation) {
      throw new AppError('UNSAFE_TARGET', `${prep.driveLabel} is a fixed disk: add --confirm ${prep.typedConfirmation} to erase it`, { field: 'confirm' })
    }
    return startConfirmedWrite(client.api, { ...request, confirmation: { token: prep.token, ...(flags.confirm ? { typed: flags.confirm } : {}) } }, prep.operation)
  })
  if (flags.json) return printJson(result)
  process.stdout.write(`${result.device} now holds ${result.holds}.\n${result.verified ? `Verified: everything written read back identical (${formatBytes(result.bytesWritten)} written).\n` : 'Not verified.\n'}`)
  if (result.layout) process.stdout.write(`\n${describeLayoutReport(result.layout)}\n`)
}

export function writeOptions(command: Command): Command {
  return command
    .option('--yes', 'confirm that everything on the target may be erased')
    .option('--confirm <name>', 'the device name (sdb, PhysicalDrive1, disk4): required besides --yes for a fixed disk')
    .option('--size <size>', 'size of the image file to create when it does not exist (e.g. 8G)')
    .option('--verify', 'read everything back after writing (default for drives)')
    .option('--no-verify', 'skip reading back (default for image files)')
    .option('--json', 'print the result as JSON')
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
  disk
    .command('layout <target>')
    .description('show the partition table of a drive (/dev/sdb) or an image file')
    .option('--json', 'print the layout as JSON')
    .action(async (target: string, opts: { json?: boolean }) => {
      const report = await withClient((client) => client.api.drives.layout({ target: targetId(target) }))
      if (opts.json) return printJson(report)
      process.stdout.write(`${describeLayoutReport(report)}\n`)
    })
  writeOptions(
    disk
      .command('partition <target>')
      .description('write a standard layout; usb-uefi and usb-bios-uefi also get an empty FAT32 volume')
      .requiredOption('--layout <kind>', 'uefi | bios | usb-uefi | usb-bios-uefi')
      .option('--label <name>', 'label of the USB data volume'),
  ).action(async (target: string, opts: WriteFlags & { layout: string; label?: string }) => {
    const operation = { kind: 'partition', layout: opts.layout, ...(opts.label ? { label: opts.label } : {}) } as WriteOperation & { kind: 'partition' }
    await destructive(target, operation, opts)
  })
  writeOptions(
    disk
      .command('restore <target>')
      .description('wipe a used stick back to one empty FAT32 or exFAT partition')
      .option('--fs <fs>', 'fat32 | exfat', 'fat32')
      .option('--label <name>', 'volume label'),
  ).action(async (target: string, opts: WriteFlags & { fs: string; label?: string }) => {
    const operation = { kind: 'restore', fileSystem: opts.fs, ...(opts.label ? { label: opts.label } : {}) } as WriteOperation & { kind: 'restore' }
    await destructive(target, operation, opts)
  })
  writeOptions(disk.command('write <image> <target>').description('write a raw disk image or a hybrid ISO onto a drive or image file, then read it back')).action(
    async (image: string, target: string, opts: WriteFlags) => {
      const operation: WriteOperation = { kind: 'writeImage', image: resolve(image) }
      await destructive(target, operation, opts)
    },
  )
  program
    .command('disk-helper', { hidden: true })
    .description('the elevated helper the app starts to write a drive (not for direct use)')
    .requiredOption('--socket <path>')
    .requiredOption('--secret-file <path>')
    .action((opts: { socket: string; secretFile: string }) => runHelper(opts))
}
