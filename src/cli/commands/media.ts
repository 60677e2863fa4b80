import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { Client } from '../../shared/client'
import type { RequestedWriteOperation } from '../../shared/drive-writes'
import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import { MEDIA_LAYOUTS, type MediaInspection, type MediaLayout } from '../../shared/media'
import type { UnattendOptionsInput } from '../../shared/unattend'
import { printJson, withClient } from '../context'
import { renderTable } from '../table'
import { destructive, writeOptions, type WriteFlags } from './disk'

interface MediaFlags extends WriteFlags {
  target: string
  layout: string
  editions?: string[]
  label?: string
  splitSize?: string
  bypassChecks?: boolean
  localOnly?: boolean
  account?: string
  password?: string
  skipPrivacy?: boolean
  noBitlocker?: boolean
  skipWireless?: boolean
  acceptEula?: boolean
  computerName?: string
  productKey?: string
  region?: boolean
  locale?: string
  keyboard?: string
  timeZone?: string
}

function describeInspection(info: MediaInspection): string {
  const lines = [
    `${info.description}`,
    `Install image: ${info.install.files.map((f) => f.path).join(', ')} (${info.install.format.toUpperCase()}, ${formatBytes(info.install.bytes)})`,
    `Boots: ${[info.uefi.length ? `UEFI (${info.uefi.join(', ')})` : null, info.bios ? 'BIOS (bootmgr)' : null].filter(Boolean).join(', ') || 'nothing found'}`,
    `Files: ${info.fileCount}, ${formatBytes(info.totalBytes)}; medium label by default: ${info.defaultLabel}`,
    '',
    renderTable(info.editions, [
      { header: '#', value: (e) => String(e.index), align: 'right' },
      { header: 'Name', value: (e) => e.name ?? '' },
      { header: 'Edition', value: (e) => e.editionId ?? e.flags ?? '' },
      { header: 'Arch', value: (e) => e.architecture ?? '' },
      { header: 'Build', value: (e) => (e.build === null ? '' : String(e.build)) },
      { header: 'Languages', value: (e) => e.languages.join(' ') },
      { header: 'Size', value: (e) => (e.totalBytes === null ? '' : formatBytes(e.totalBytes)), align: 'right' },
    ]),
  ]
  for (const note of info.notes) lines.push(`note: ${note}`)
  return lines.join('\n')
}

/**
 * The answer-file options the flags ask for, or undefined when none are given. The source is
 * inspected (its architectures and languages) only then: opening an ISO is a good part of
 * the time before a medium starts to be written.
 */
async function answerFileOptions(client: Client, inspect: () => Promise<MediaInspection>, flags: MediaFlags): Promise<UnattendOptionsInput | undefined> {
  const asked: Omit<UnattendOptionsInput, 'architectures'> = {
    ...(flags.bypassChecks ? { bypassHardwareChecks: true } : {}),
    ...(flags.localOnly ? { skipOnlineAccount: true } : {}),
    ...(flags.skipPrivacy ? { skipPrivacyQuestions: true } : {}),
    ...(flags.noBitlocker ? { preventDeviceEncryption: true } : {}),
    ...(flags.skipWireless ? { hideWirelessSetup: true } : {}),
    ...(flags.acceptEula ? { acceptEula: true } : {}),
    ...(flags.computerName ? { computerName: flags.computerName } : {}),
    ...(flags.productKey ? { productKey: flags.productKey } : {}),
    ...(flags.account ? { localAccount: { name: flags.account, ...(flags.password === undefined ? {} : { password: flags.password }) } } : {}),
  }
  const regional = flags.locale || flags.keyboard || flags.timeZone
  if (Object.keys(asked).length === 0 && !regional) return undefined
  if (flags.password !== undefined && !flags.account) throw new AppError('VALIDATION', '--password is for the account made with --account', { field: 'password' })
  if (flags.region === false && regional) throw new AppError('VALIDATION', '--no-region leaves language, keyboard and time zone to Setup: drop --locale, --keyboard and --time-zone', { field: 'region' })
  const info = await inspect()
  const options: UnattendOptionsInput = { architectures: info.architectures.length ? info.architectures : ['amd64'], ...asked }
  if (flags.region !== false) {
    // Regional settings default to this computer's, limited to the languages the image has.
    const languages = [...new Set(info.editions.flatMap((e) => e.languages))]
    const { settings } = await client.api.unattend.defaults(languages.length ? { imageLanguages: languages } : {})
    const locale = flags.locale
    options.regional = {
      ...settings,
      ...(locale ? { uiLanguage: locale, systemLocale: locale, userLocale: locale, inputLocale: locale } : {}),
      ...(flags.keyboard ? { inputLocale: flags.keyboard } : {}),
      ...(flags.timeZone ? { timeZone: flags.timeZone } : {}),
    }
  }
  return options
}

export function registerMedia(program: Command): void {
  const media = program.command('media').description('bootable Windows installation media from an ISO or folder')
  media
    .command('inspect <source>')
    .description('recognise Windows media in an ISO image or a folder and list its editions')
    .option('--json', 'print the inspection as JSON')
    .action(async (source: string, opts: { json?: boolean }) => {
      const info = await withClient((client) => client.api.media.inspect({ source: resolve(source) }))
      if (opts.json) return printJson(info)
      process.stdout.write(`${describeInspection(info)}\n`)
    })
  writeOptions(
    media
      .command('iso <source>')
      .description('make a bootable install USB (or image file) from a Windows ISO or folder: one streamed pass, then read back')
      .requiredOption('--target <drive|file.img>', 'the drive (/dev/sdb) or image file to write; a new image file is sized to fit unless --size is given')
      .option('--layout <kind>', `${MEDIA_LAYOUTS.join(' | ')} (GPT for UEFI, or MBR for BIOS and UEFI)`, 'usb-uefi')
      .option('--editions <list...>', 'keep only these editions (indexes or names; the others are left out of install.wim)')
      .option('--label <name>', 'FAT volume label (11 characters; default from the ISO)')
      .option('--split-size <MiB>', 'largest install.swm part when the install image is split (default: just under 4 GiB)')
      .option('--bypass-checks', 'answer file: skip the TPM, Secure Boot and RAM checks')
      .option('--local-only', 'answer file: allow setup without a Microsoft account')
      .option('--account <name>', 'answer file: create this local administrator account')
      .option('--password <password>', 'answer file: password of --account (stored readable on the medium)')
      .option('--skip-privacy', 'answer file: skip the privacy questions')
      .option('--no-bitlocker', 'answer file: prevent automatic BitLocker device encryption')
      .option('--skip-wireless', 'answer file: skip the wireless network page')
      .option('--accept-eula', 'answer file: accept the license terms')
      .option('--computer-name <name>', 'answer file: the computer name')
      .option('--product-key <key>', 'answer file: a product key (selects the edition)')
      .option('--locale <name>', "answer file: language and formats (default: this computer's)")
      .option('--keyboard <profile>', 'answer file: input profiles, e.g. 0409:00000409')
      .option('--time-zone <id>', 'answer file: a Windows time zone ID, e.g. "W. Europe Standard Time"')
      .option('--no-region', 'answer file: leave language, keyboard and time zone for Setup to ask'),
  ).action(async (source: string, opts: MediaFlags) => {
    if (!(MEDIA_LAYOUTS as readonly string[]).includes(opts.layout)) {
      throw new AppError('VALIDATION', `--layout ${opts.layout}: expected ${MEDIA_LAYOUTS.join(' or ')}`, { field: 'layout' })
    }
    const path = resolve(source)
    const splitMiB = opts.splitSize === undefined ? undefined : Number(opts.splitSize)
    if (splitMiB !== undefined && !Number.isInteger(splitMiB)) throw new AppError('VALIDATION', `--split-size ${opts.splitSize}: expected a whole number of MiB`, { field: 'splitSize' })
    const unattend = await withClient((client) => answerFileOptions(client, () => client.api.media.inspect({ source: path }), opts))
    const operation: RequestedWriteOperation = {
      kind: 'media',
      source: path,
      layout: opts.layout as MediaLayout,
      ...(opts.editions?.length ? { editions: opts.editions.map((e) => (/^\d+$/.test(e) ? Number(e) : e)) } : {}),
      ...(opts.label ? { label: opts.label } : {}),
      ...(splitMiB === undefined ? {} : { splitMiB }),
      ...(unattend ? { unattend } : {}),
    }
    await destructive(opts.target, operation, opts)
  })
}
