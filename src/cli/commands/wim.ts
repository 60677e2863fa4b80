import { resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import type { ApplyReport, VerifyReport, WimImageSummary, WimSummary } from '../../shared/wim'
import { printJson, runJobCommand, withClient } from '../context'
import { renderTable } from '../table'

/** "2" is an index, anything else an image name: as wimlib-imagex reads its IMAGE argument. */
function imageArg(image: string): string | number {
  return /^\d+$/.test(image) ? Number(image) : image
}

function describeWim(summary: WimSummary): string {
  const lines = [
    `Path:          ${summary.path}`,
    ...(summary.totalParts > 1 ? [`Parts:         ${summary.totalParts} (${summary.parts.join(', ')})`] : []),
    `GUID:          ${summary.guid}`,
    `Version:       0x${summary.version.toString(16)}${summary.solid ? ' (solid resources)' : ''}`,
    `Compression:   ${summary.compression.toUpperCase()}${summary.compression === 'none' ? '' : `, ${formatBytes(summary.chunkSize, 0)} chunks`}`,
    `Size:          ${formatBytes(summary.sizeBytes)}`,
    `Images:        ${summary.imageCount}`,
    `Boot index:    ${summary.bootIndex || 'none'}`,
    `Integrity:     ${summary.hasIntegrityTable ? 'table present' : 'no table'}`,
    '',
    renderTable(summary.images, [
      { header: 'Index', value: (i) => String(i.index), align: 'right' },
      { header: 'Name', value: (i) => i.name ?? '' },
      { header: 'Edition', value: (i) => i.editionId ?? i.flags ?? '' },
      { header: 'Arch', value: (i) => i.architecture ?? '' },
      { header: 'Version', value: (i) => i.version ?? '' },
      { header: 'Files', value: (i) => (i.fileCount === null ? '' : String(i.fileCount)), align: 'right' },
      { header: 'Size', value: (i) => formatBytes(i.totalBytes), align: 'right' },
      { header: 'Languages', value: (i) => i.languages.join(', ') },
    ]),
  ]
  for (const warning of summary.warnings) lines.push(`warning: ${warning}`)
  return lines.join('\n')
}

function describeImage(image: WimImageSummary): string {
  const rows: Array<[string, string | number | null]> = [
    ['Index', image.index],
    ['Name', image.name],
    ['Description', image.description],
    ['Display name', image.displayName],
    ['Display description', image.displayDescription],
    ['Flags', image.flags],
    ['Product', image.productName],
    ['Edition', image.editionId],
    ['Installation type', image.installationType],
    ['Product type', image.productType],
    ['Architecture', image.architecture],
    ['Version', image.version],
    ['Languages', image.languages.join(', ') + (image.defaultLanguage ? ` (default ${image.defaultLanguage})` : '')],
    ['Directories', image.dirCount],
    ['Files', image.fileCount],
    ['Total bytes', image.totalBytes === null ? null : `${image.totalBytes} (${formatBytes(image.totalBytes)})`],
    ['Hard link bytes', image.hardLinkBytes],
    ['Created', image.creationTime],
    ['Last modified', image.lastModificationTime],
  ]
  return rows
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${`${k}:`.padEnd(21)}${String(v)}`)
    .join('\n')
}

function describeApply(report: ApplyReport): string {
  const u = report.unrestored
  const lines = [
    `Applied image ${report.image}${report.imageName ? ` (${report.imageName})` : ''} to ${report.target} in ${report.seconds.toFixed(1)} s`,
    `  ${report.files} files, ${report.directories} folders, ${report.hardLinks} hard links, ${report.symlinks} symbolic links, ${formatBytes(report.bytes)} of data`,
  ]
  const lost: string[] = []
  if (u.securityDescriptors) lost.push(`${u.securityDescriptors} security descriptors (ACLs)`)
  if (u.namedStreams) lost.push(`${u.namedStreams} named data streams`)
  if (u.shortNames) lost.push(`${u.shortNames} short (8.3) names`)
  for (const [attr, n] of Object.entries(u.attributes)) lost.push(`${n} "${attr}" attributes`)
  if (u.otherReparsePoints) lost.push(`${u.otherReparsePoints} special reparse points`)
  if (lost.length) lines.push(`  This file system cannot hold: ${lost.join(', ')}.`, '  Apply to NTFS with Windows metadata needs wimlib-imagex (NTFS-3G) or DISM.')
  if (report.skippedCount) {
    lines.push(`  Skipped ${report.skippedCount} entries:`)
    for (const s of report.skipped.slice(0, 20)) lines.push(`    ${s.path}: ${s.reason}`)
  }
  return lines.join('\n')
}

export function registerWim(program: Command): void {
  const wim = program.command('wim').description('open, apply, extract and check WIM, ESD and split (SWM) files')

  wim
    .command('info <file> [image]')
    .description('show the WIM header and its images, or one image in detail')
    .option('--json', 'print as JSON')
    .action(async (file: string, image: string | undefined, opts: { json?: boolean }) => {
      const summary = await withClient((c) => c.api.wim.info({ path: resolve(file) }))
      const selected = image === undefined ? null : summary.images.find((i) => String(i.index) === image || i.name?.toLowerCase() === image.toLowerCase())
      if (image !== undefined && !selected) throw new AppError('NOT_FOUND', `${file} has no image "${image}"`, { file, image })
      if (opts.json) return printJson(selected ?? summary)
      process.stdout.write(`${selected ? describeImage(selected) : describeWim(summary)}\n`)
    })

  wim
    .command('dir <file> <image>')
    .description('list the files of an image')
    .option('--path <path>', 'list only below this folder of the image', '\\')
    .option('--detailed', 'show size, attributes and time of each entry')
    .option('--json', 'print as JSON')
    .action(async (file: string, image: string, opts: { path: string; detailed?: boolean; json?: boolean }) => {
      const entries = await withClient((c) => c.api.wim.dir({ path: resolve(file), image: imageArg(image), dir: opts.path, recursive: true, limit: 5_000_000 }))
      if (opts.json) return printJson(entries)
      const lines = opts.detailed
        ? entries.map((e) => `${e.lastWriteTime ?? ''.padEnd(24)}  ${e.kind === 'directory' ? '<DIR>'.padStart(14) : String(e.size).padStart(14)}  ${e.attributeNames.filter((a) => a !== 'Directory').join(',').padEnd(20)}  ${e.path}${e.linkTarget ? ` -> ${e.linkTarget}` : ''}`)
        : entries.map((e) => e.path)
      process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '')
    })

  wim
    .command('apply <file> <image> <dir>')
    .description('apply an image to an empty folder (for a split set, give the first .swm)')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, image: string, dir: string, opts: { json?: boolean }) => {
      const report = await runJobCommand<ApplyReport>((c) => c.api.wim.apply({ path: resolve(file), image: imageArg(image), target: resolve(dir) }))
      if (opts.json) printJson(report)
      else process.stdout.write(`${describeApply(report)}\n`)
    })

  wim
    .command('extract <file> <image> <paths...>')
    .description('extract files or folders of an image into a folder')
    .option('--dest-dir <dir>', 'where to put them', '.')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, image: string, paths: string[], opts: { destDir: string; json?: boolean }) => {
      const report = await runJobCommand<ApplyReport>((c) => c.api.wim.extract({ path: resolve(file), image: imageArg(image), paths, target: resolve(opts.destDir) }))
      if (opts.json) printJson(report)
      else process.stdout.write(`${describeApply(report).replace(/^Applied image/, 'Extracted from image')}\n`)
    })

  wim
    .command('verify <file>')
    .description('check the integrity table and the SHA-1 of every blob')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const report = await runJobCommand<VerifyReport>((c) => c.api.wim.verify({ path: resolve(file) }))
      if (opts.json) printJson(report)
      else {
        const integrity = { absent: 'no integrity table', ok: 'integrity table OK', mismatch: `integrity table MISMATCH in chunk(s) ${report.integrityFailures.join(', ')}` }[report.integrityTable]
        process.stdout.write(`${report.wim}: ${report.blobs} blobs, ${formatBytes(report.bytes)} checked in ${report.seconds.toFixed(1)} s; ${integrity}\n`)
        for (const f of report.failures) process.stdout.write(`  BAD ${f.blob}: ${f.problem}\n`)
      }
      if (report.failures.length || report.integrityTable === 'mismatch') {
        throw new AppError('CORRUPT', `${report.wim} failed verification`, { file: report.wim })
      }
    })
}
