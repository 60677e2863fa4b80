import { resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import type { ApplyReport, CaptureReport, ExportReport, OptimizeReport, SplitReport, UpdateReport, VerifyReport, WimCompression, WimImageSummary, WimSummary } from '../../shared/wim'
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
  const wim = program.command('wim').description('open, capture, apply, export and service WIM, ESD and split (SWM) files')
  registerWimWrite(wim)

  wim
    .command('info <file> [image] [new-name] [new-description]')
    .description('show the WIM header and its images, or one image in detail; with a new name or description, change them')
    .option('--boot', 'make the image the boot image')
    .option('--json', 'print as JSON')
    .action(async (file: string, image: string | undefined, newName: string | undefined, newDescription: string | undefined, opts: { boot?: boolean; json?: boolean }) => {
      const path = resolve(file)
      const summary = await withClient(async (c) => {
        if (image !== undefined && (newName !== undefined || newDescription !== undefined)) {
          await c.api.wim.setProperties({ path, image: imageArg(image), name: newName, description: newDescription })
        }
        if (image !== undefined && opts.boot) await c.api.wim.setBootIndex({ path, image: imageArg(image) })
        return c.api.wim.info({ path })
      })
      const selected = image === undefined ? null : summary.images.find((i) => String(i.index) === image || i.name?.toLowerCase() === (newName ?? image).toLowerCase())
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

const COMPRESSIONS = ['none', 'xpress', 'lzx', 'lzms']

function compressionArg(value: string | undefined): WimCompression | undefined {
  if (value === undefined) return undefined
  const v = value.toLowerCase() === 'maximum' ? 'lzx' : value.toLowerCase() === 'fast' ? 'xpress' : value.toLowerCase()
  if (!COMPRESSIONS.includes(v)) throw new AppError('VALIDATION', `--compress must be one of ${COMPRESSIONS.join(', ')} (got "${value}")`, { field: 'compress' })
  return v as WimCompression
}

/** Parses update edits in the order given: --add SRC DEST, --delete PATH, --rename FROM TO. */
export function parseUpdateEdits(args: string[]): Array<{ kind: 'add'; source: string; dest: string } | { kind: 'delete'; path: string } | { kind: 'rename'; from: string; to: string }> {
  const edits: ReturnType<typeof parseUpdateEdits> = []
  for (let i = 0; i < args.length; ) {
    const flag = args[i]!
    const need = flag === '--delete' ? 1 : flag === '--add' || flag === '--rename' ? 2 : -1
    if (need < 0) throw new AppError('VALIDATION', `Unexpected "${flag}": use --add SRC PATH, --delete PATH or --rename FROM TO`, { field: flag })
    const values = args.slice(i + 1, i + 1 + need)
    if (values.length < need || values.some((v) => v.startsWith('--'))) throw new AppError('VALIDATION', `${flag} needs ${need} value${need === 1 ? '' : 's'}`, { field: flag })
    if (flag === '--add') edits.push({ kind: 'add', source: resolve(values[0]!), dest: values[1]! })
    else if (flag === '--delete') edits.push({ kind: 'delete', path: values[0]! })
    else edits.push({ kind: 'rename', from: values[0]!, to: values[1]! })
    i += need + 1
  }
  return edits
}

interface CaptureFlags {
  compress?: string
  solid?: boolean
  chunkSize?: string
  check?: boolean
  boot?: boolean
  config?: string
  flags?: string
  json?: boolean
}

function describeCapture(r: CaptureReport): string {
  return [
    `${r.mode === 'append' ? 'Appended' : 'Captured'} image ${r.image} ("${r.imageName}") into ${r.wim} in ${r.seconds.toFixed(1)} s`,
    `  ${r.files} files, ${r.directories} folders, ${r.hardLinks} hard links, ${r.symlinks} links; ${formatBytes(r.dataBytes)} of data`,
    `  ${r.newBlobs} contents stored, ${r.reusedBlobs} already in the WIM; ${r.compression.toUpperCase()}${r.solid ? ' solid' : ''}; WIM is now ${formatBytes(r.wimBytes)}`,
    ...(r.excludedCount ? [`  Excluded ${r.excludedCount}: ${r.excluded.slice(0, 10).join(', ')}${r.excludedCount > 10 ? ', ...' : ''}`] : []),
    ...r.skipped.map((s) => `  Skipped ${s.path}: ${s.reason}`),
  ].join('\n')
}

function registerCapture(wim: Command, name: 'capture' | 'append'): void {
  wim
    .command(`${name} <dir> <file> [name] [description]`)
    .description(name === 'capture' ? 'capture a folder into a new WIM' : 'capture a folder as a new image of an existing WIM')
    .option('--compress <type>', 'none, xpress, lzx (default) or lzms')
    .option('--solid', 'ESD style: LZMS solid resources, smallest files')
    .option('--chunk-size <bytes>', 'bytes per compressed chunk')
    .option('--check', 'add an integrity table')
    .option('--boot', 'make the new image the boot image')
    .option('--config <file>', 'WimScript.ini exclusion list (default: pagefile.sys, hiberfil.sys, ...)')
    .option('--flags <edition>', 'the <FLAGS> value (e.g. Professional)')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, file: string, imageName: string | undefined, description: string | undefined, opts: CaptureFlags) => {
      const report = await runJobCommand<CaptureReport>((c) =>
        c.api.wim.capture({
          source: resolve(dir),
          wim: resolve(file),
          append: name === 'append',
          name: imageName ?? (resolve(dir).split(/[\\/]/).filter(Boolean).pop() || 'Image'),
          description,
          flags: opts.flags,
          compression: compressionArg(opts.compress) ?? (opts.solid ? 'lzms' : 'lzx'),
          chunkSize: opts.chunkSize ? Number(opts.chunkSize) : undefined,
          solid: Boolean(opts.solid),
          integrity: Boolean(opts.check),
          boot: Boolean(opts.boot),
          configFile: opts.config ? resolve(opts.config) : undefined,
        }),
      )
      if (opts.json) printJson(report)
      else process.stdout.write(`${describeCapture(report)}\n`)
    })
}

export function registerWimWrite(wim: Command): void {
  registerCapture(wim, 'capture')
  registerCapture(wim, 'append')

  wim
    .command('export <source> <image> <dest> [name] [description]')
    .description('export an image (or "all") to another WIM, created or added to; e.g. install.esd to install.wim')
    .option('--compress <type>', 'compression of a new WIM (default: the source\'s; use lzx to turn an ESD into a WIM)')
    .option('--solid', 'write an ESD-style solid WIM')
    .option('--check', 'add an integrity table')
    .option('--boot', 'make the exported image the boot image')
    .option('--json', 'print the report as JSON')
    .action(async (source: string, image: string, dest: string, name: string | undefined, description: string | undefined, opts: CaptureFlags) => {
      const report = await runJobCommand<ExportReport>((c) =>
        c.api.wim.export({
          source: resolve(source),
          images: image.toLowerCase() === 'all' ? 'all' : [imageArg(image)],
          dest: resolve(dest),
          compression: compressionArg(opts.compress),
          solid: Boolean(opts.solid),
          integrity: opts.check ? true : undefined,
          boot: Boolean(opts.boot),
          name,
          description,
        }),
      )
      if (opts.json) return printJson(report)
      process.stdout.write(
        `Exported ${report.images.map((i) => `image ${i.sourceIndex} -> ${i.destIndex}${i.name ? ` (${i.name})` : ''}`).join(', ')} into ${report.dest} in ${report.seconds.toFixed(1)} s\n` +
          `  ${report.copiedBlobs} contents copied as stored, ${report.recompressedBlobs} recompressed (${report.compression.toUpperCase()}${report.solid ? ' solid' : ''}), ${report.reusedBlobs} already there; ${formatBytes(report.wimBytes)}\n`,
      )
    })

  wim
    .command('update <file> <image> [edits...]')
    .description('change an image in place: --add SRC PATH, --delete PATH, --rename FROM TO (repeatable, applied in order)')
    .passThroughOptions()
    .allowUnknownOption()
    .action(async (file: string, image: string, edits: string[]) => {
      const json = edits.includes('--json')
      const report = await runJobCommand<UpdateReport>((c) => c.api.wim.update({ path: resolve(file), image: imageArg(image), commands: parseUpdateEdits(edits.filter((e) => e !== '--json')) }))
      if (json) return printJson(report)
      process.stdout.write(`Updated image ${report.image} of ${report.wim}: ${report.commands} change(s), ${report.newBlobs} new contents stored, WIM is ${formatBytes(report.wimBytes)}\n`)
    })

  wim
    .command('delete <file> <image>')
    .description('delete an image (its space is freed by optimize)')
    .option('--json', 'print the new summary as JSON')
    .action(async (file: string, image: string, opts: { json?: boolean }) => {
      const summary = await withClient((c) => c.api.wim.deleteImage({ path: resolve(file), image: imageArg(image) }))
      if (opts.json) printJson(summary)
      else process.stdout.write(`Deleted image ${image}; ${summary.imageCount} image(s) left\n`)
    })

  wim
    .command('optimize <file>')
    .description('rebuild a WIM without dead space')
    .option('--recompress <type>', 'also recompress as none, xpress, lzx or lzms')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, opts: { recompress?: string; json?: boolean }) => {
      const report = await runJobCommand<OptimizeReport>((c) => c.api.wim.optimize({ path: resolve(file), compression: compressionArg(opts.recompress) }))
      if (opts.json) return printJson(report)
      process.stdout.write(`${report.wim}: ${formatBytes(report.bytesBefore)} -> ${formatBytes(report.bytesAfter)} in ${report.seconds.toFixed(1)} s\n`)
    })

  wim
    .command('split <file> <firstPart> <MiB>')
    .description('split into .swm parts of at most MiB each (FAT32 holds files up to 4095 MiB)')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, firstPart: string, mib: string, opts: { json?: boolean }) => {
      const report = await runJobCommand<SplitReport>((c) => c.api.wim.split({ path: resolve(file), firstPart: resolve(firstPart), partMiB: Number(mib) }))
      if (opts.json) return printJson(report)
      for (const part of report.parts) process.stdout.write(`${part.path}  ${formatBytes(part.bytes)}\n`)
    })

  wim
    .command('join <dest> <firstPart>')
    .description('join a split set (the other parts are found beside the first) into one WIM')
    .option('--json', 'print the report as JSON')
    .action(async (dest: string, firstPart: string, opts: { json?: boolean }) => {
      const report = await runJobCommand<ExportReport>((c) => c.api.wim.join({ firstPart: resolve(firstPart), dest: resolve(dest) }))
      if (opts.json) return printJson(report)
      process.stdout.write(`Joined ${report.images.length} image(s) into ${report.dest} (${formatBytes(report.wimBytes)})\n`)
    })
}
