import { join } from 'node:path'
import type { WriteOperation } from '../../shared/drives'
import { AppError } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import type { MediaLayout } from '../../shared/media'
import type { UnattendOptions } from '../../shared/unattend'
import type { ByteTarget } from '../disk/byte-target'
import type { ConfirmedWrite, WriteWork } from '../disk/operations/drive-write-job'
import type { OperationHandler } from '../disk/operations/operation-handler'
import { writeLayout } from '../disk/operations/partition-drive'
import { driveLabel } from '../disk/write-safety'
import type { FatSourceEntry, PositionalContents } from '../fs/fat32'
import type { WorkerPool } from '../jobs/worker-pool'
import { buildAutounattend } from '../windows/unattend'
import { checkBiosBoot, loadBiosBootCode, MAX_BOOTMGR_BYTES, writeBiosLoader, type BiosBootCode } from './bios-boot'
import { estimateInstallBytes, FAT32_MAX_FILE, keepsInstallAsIs, prepareInstallImage, type PreparedInstall } from './install-image'
import { mediaContents, type MediaContents } from './media-files'
import { defaultMediaLabel } from './media-label'
import { fitMediaSize, planMedia, type MediaPlan } from './media-size'
import { openMediaSource, type MediaSource } from './media-source'
import { verifyMedia } from './verify-media'
import { inspectWindowsMedia, openInstallImage, type WindowsMedia } from './windows-media'

export type MediaOperation = Extract<WriteOperation, { kind: 'media' }>

export interface MediaDeps {
  pool: WorkerPool
  /** Where an exported or split install image is made before it goes onto the medium. */
  tempRoot: string
  /** The app's resources folder (BIOS boot code). */
  resourcesDir: () => string
}

const MiB = 1024 * 1024

/** A media request checked against its source: what can be known before anything is written. */
interface CheckedRequest {
  source: MediaSource
  media: WindowsMedia
  label: string
  /** Resolved edition indexes kept, and their names. */
  editions: Array<{ index: number; name: string }>
  keepAll: boolean
  answerFile: string | null
  answerWarnings: string[]
  maxFileBytes: number
}

/** The most a part of a split install image may hold: what the user asked, or just under FAT32's limit. */
function maxFileBytesOf(op: MediaOperation): number {
  return op.splitMiB ? op.splitMiB * MiB : FAT32_MAX_FILE
}

/** Opens the source and checks the request against it; the caller closes `source.tree`. */
async function checkRequest(op: MediaOperation): Promise<CheckedRequest> {
  const source = await openMediaSource(op.source)
  try {
    const media = await inspectWindowsMedia(source.tree)
    checkBootable(op.layout, media, source)
    if (op.layout === 'usb-bios-uefi') await checkBootmgr(source)
    const archive = await openInstallImage(source.tree, media)
    let editions: CheckedRequest['editions']
    try {
      const indexes = op.editions?.length ? [...new Set(op.editions.map((e) => archive.resolveImage(e)))] : archive.images.map((i) => i.index)
      editions = indexes.map((index) => ({ index, name: archive.images[index - 1]?.name ?? `image ${index}` }))
    } finally {
      await archive.close()
    }
    const preview = op.unattend ? buildAutounattend(op.unattend) : null
    return {
      source,
      media,
      label: op.label ?? defaultMediaLabel(source.volumeLabel),
      editions,
      keepAll: !op.editions?.length || editions.length === media.editions.length,
      answerFile: preview?.xml ?? null,
      answerWarnings: preview?.warnings ?? [],
      maxFileBytes: maxFileBytesOf(op),
    }
  } catch (error) {
    await source.tree.close()
    throw error
  }
}

function checkBootable(layout: MediaLayout, media: WindowsMedia, source: MediaSource): void {
  if (layout === 'usb-uefi' && media.uefi.length === 0) {
    throw new AppError('VALIDATION', `${source.tree.description} has no UEFI loader (efi/boot/bootx64.efi): a GPT medium made from it would start on no machine. Choose the MBR layout (BIOS) instead.`, {
      field: 'layout',
    })
  }
  if (layout === 'usb-bios-uefi' && !media.bios) {
    throw new AppError('VALIDATION', `${source.tree.description} has no bootmgr at its root: BIOS machines cannot start it. Choose the GPT layout (UEFI) instead.`, { field: 'layout' })
  }
}

async function checkBootmgr(source: MediaSource): Promise<void> {
  const bootmgr = await source.tree.stat('bootmgr')
  if (bootmgr && bootmgr.size > MAX_BOOTMGR_BYTES) {
    throw new AppError('VALIDATION', `bootmgr in ${source.tree.description} is ${formatBytes(bootmgr.size)}; a BIOS loads at most ${formatBytes(MAX_BOOTMGR_BYTES)}: it cannot be Windows Boot Manager`, {
      field: 'source',
    })
  }
}

/** The answer file's options in words, for the review and the log. */
export function describeAnswerFile(options: UnattendOptions): string[] {
  const parts: string[] = []
  if (options.bypassHardwareChecks) parts.push('skips the TPM, Secure Boot and RAM checks')
  if (options.skipOnlineAccount) parts.push('allows setup without a Microsoft account')
  if (options.localAccount) parts.push(`creates the local ${options.localAccount.administrator ? 'administrator' : 'user'} account "${options.localAccount.name}"`)
  if (options.regional) parts.push(`sets ${options.regional.uiLanguage}, keyboard ${options.regional.inputLocale}, time zone ${options.regional.timeZone}`)
  if (options.skipPrivacyQuestions) parts.push('skips the privacy questions')
  if (options.preventDeviceEncryption) parts.push('prevents automatic BitLocker device encryption')
  if (options.hideWirelessSetup) parts.push('skips the wireless network page')
  if (options.acceptEula) parts.push('accepts the license terms')
  if (options.computerName) parts.push(`names the computer ${options.computerName}`)
  if (options.productKey) parts.push('enters a product key')
  return parts
}

function describeEditions(request: CheckedRequest): string {
  const total = request.media.editions.length
  const names = request.editions.map((e) => e.name).join(', ')
  return request.keepAll ? `${total === 1 ? 'its edition' : `all ${total} editions`} (${names})` : `${request.editions.length} of ${total} editions (${names})`
}

/** The contents of a stand-in file, which only plans: never read. */
function standInContents(): Promise<PositionalContents> {
  return Promise.reject(new AppError('INTERNAL', 'A stand-in file made for planning was opened'))
}

/** Stand-in install files of the estimated size, split as they will be: for planning before the real ones exist. */
function estimatedInstall(bytes: number, maxFileBytes: number): PreparedInstall {
  const parts = Math.max(1, Math.ceil(bytes / maxFileBytes))
  const names = parts === 1 ? ['install.wim'] : Array.from({ length: parts }, (_, i) => `install${i === 0 ? '' : i + 1}.swm`)
  return {
    files: names.map((name, i) => ({ name, size: i < parts - 1 ? maxFileBytes : bytes - maxFileBytes * (parts - 1), open: standInContents })),
    action: '',
    cleanup: async () => undefined,
  }
}

async function estimatedContents(request: CheckedRequest): Promise<{ contents: MediaContents; installBytes: number; exact: boolean }> {
  const asIs = keepsInstallAsIs(request.media, request.keepAll ? undefined : request.editions.map((e) => e.index), request.maxFileBytes)
  let install: PreparedInstall
  let installBytes: number
  if (asIs) {
    install = { files: request.media.install.files.map((f) => ({ name: f.path.split('/').pop()!, size: f.size, open: standInContents })), action: '', cleanup: async () => undefined }
    installBytes = request.media.install.files.reduce((sum, f) => sum + f.size, 0)
  } else {
    const archive = await openInstallImage(request.source.tree, request.media)
    try {
      installBytes = await estimateInstallBytes(
        archive,
        request.media,
        request.editions.map((e) => e.index),
        request.keepAll,
      )
    } finally {
      await archive.close()
    }
    install = estimatedInstall(installBytes, Math.min(request.maxFileBytes, FAT32_MAX_FILE))
  }
  return { contents: await mediaContents(request.source.tree, install, request.answerFile), installBytes, exact: asIs }
}

function layoutWords(layout: MediaLayout): string {
  return layout === 'usb-uefi' ? 'GPT, starts on UEFI machines' : 'MBR, starts on BIOS and UEFI machines'
}

/** media.create through the drive writer: what it will do, and the job that does it. */
export function mediaOperation(deps: MediaDeps): OperationHandler<MediaOperation> {
  return {
    verifiesByDefault: true,
    defaultCreateSize: async () => 'fit',
    describe: async (op, target) => {
      const request = await checkRequest(op)
      try {
        const { contents, installBytes, exact } = await estimatedContents(request)
        const about = exact ? '' : 'about '
        let size: string
        if (target.sizeBytes === null) {
          size = `a new image file sized to fit (${about}${formatBytes(fitMediaSize(op.layout, request.label, contents.entries))})`
        } else {
          const plan = planMedia(op.layout, target.sizeBytes, request.label, contents.entries, target.id)
          size = `a FAT32 partition of ${formatBytes(plan.data.sectorCount * plan.layout.sectorSize)}`
        }
        const sentences = [
          `Windows installation media (${layoutWords(op.layout)}): ${size} labelled ${request.label}, holding ${contents.files.length} files (${about}${formatBytes(contents.bytes)}) from ${request.source.tree.description}.`,
          `Install image: ${describeEditions(request)}, ${about}${formatBytes(installBytes)}${installBytes > Math.min(request.maxFileBytes, FAT32_MAX_FILE) ? ', split into install.swm parts' : ''}.`,
        ]
        if (op.unattend) {
          const answers = describeAnswerFile(op.unattend)
          sentences.push(`autounattend.xml${answers.length ? `: ${answers.join('; ')}` : ''}.`)
          sentences.push(...request.answerWarnings)
        }
        // One sentence a line: a front end can show them as a list instead of one block.
        return sentences.join('\n')
      } finally {
        await request.source.tree.close()
      }
    },
    work: (op, write) => mediaWork(op, write, deps),
  }
}

function mediaWork(op: MediaOperation, write: ConfirmedWrite, deps: MediaDeps): WriteWork {
  let request: CheckedRequest | null = null
  let prepared: PreparedInstall | null = null
  let contents: MediaContents | null = null
  let bootCode: BiosBootCode | null = null
  let plan: MediaPlan | null = null
  return {
    title: `Make Windows installation media on ${driveLabel(write.drive)}`,
    prepare: {
      phases: [
        { id: 'read', label: 'Read the source' },
        { id: 'install', label: 'Prepare the install image' },
      ],
      run: async (ctx) => {
        ctx.phase('read')
        request = await checkRequest(op)
        ctx.log('info', `Source: ${request.source.tree.description}; editions: ${describeEditions(request)}`)
        for (const warning of request.answerWarnings) ctx.log('warn', `Answer file: ${warning}`)
        if (op.layout === 'usb-bios-uefi') bootCode = await loadBiosBootCode(join(deps.resourcesDir(), 'bios-boot'))
        const editions = request.keepAll ? undefined : request.editions.map((e) => e.index)
        if (keepsInstallAsIs(request.media, editions, request.maxFileBytes)) ctx.skipPhase('install')
        else ctx.phase('install')
        prepared = await prepareInstallImage(request.source.tree, request.media, {
          editions,
          maxFileBytes: request.maxFileBytes,
          tempRoot: deps.tempRoot,
          pool: deps.pool,
          ctx,
        })
        ctx.log('info', `Install image: ${prepared.action}`)
        contents = await mediaContents(request.source.tree, prepared, request.answerFile)
        const entries: FatSourceEntry[] = contents.entries
        if (write.drive.exists) return
        const createSizeBytes = write.createSizeBytes ?? fitMediaSize(op.layout, request.label, entries)
        return { createSizeBytes }
      },
    },
    write: async (target, ctx) => {
      const { label } = request!
      plan = planMedia(op.layout, target.size, label, contents!.entries, target.name)
      ctx.log('info', `Writing ${contents!.files.length} files (${formatBytes(contents!.bytes)}) to a FAT32 volume labelled ${label}`)
      await writeLayout(target, plan.layout, ctx, { label, entries: contents!.entries, ...(bootCode ? { bootCode: bootCode.mbrCode } : {}) })
      if (bootCode) {
        await writeBiosLoader(target, plan.layout, bootCode)
        ctx.log('info', `BIOS boot code written (GRUB ${bootCode.grubVersion}, starting /bootmgr)`)
      }
      return `Windows installation media (${layoutWords(op.layout)}): ${contents!.files.length} files, ${formatBytes(contents!.bytes)}, labelled ${label}`
    },
    verify: async (target: ByteTarget, ctx) => {
      const checked = await verifyMedia(target, plan!.data.firstLba * plan!.layout.sectorSize, contents!.files, ctx)
      if (!bootCode) return checked
      const boot = await checkBiosBoot(target, bootCode)
      if (!boot.bootable) {
        throw new AppError('IO', `The BIOS boot chain on ${target.name} does not read back: ${boot.problems.map((p) => `${p.structure} at ${p.offset}: ${p.message}`).join('; ')}`, {
          path: target.name,
        })
      }
      return `${checked}; BIOS boot chain (MBR code, GRUB loader, /bootmgr) in place`
    },
    release: async () => {
      await (prepared as PreparedInstall | null)?.cleanup()
      await (request as CheckedRequest | null)?.source.tree.close()
    },
  }
}
