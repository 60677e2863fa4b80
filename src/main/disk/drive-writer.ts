import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import type { Drive, DriveLayoutReport, PartitionRow, WriteConfirmation, WriteOperation, WritePreparation } from '../../shared/drives'
import { AppError, toErrorInfo } from '../../shared/errors'
import { formatBytes } from '../../shared/format'
import type { JobSnapshot } from '../../shared/jobs'
import type { JobManager } from '../jobs/job-manager'
import { FileTarget, type ByteTarget } from './byte-target'
import type { DriveMonitor } from './drive-monitor'
import { identify } from './identity'
import { checkImageFilePath, describeImageFile } from './image-files'
import { describeRow, FILE_PREFIX } from './operations/builtin-operations'
import { driveWriteJob, type ConfirmedWrite, type TargetOpener } from './operations/drive-write-job'
import { handlerFor, type OperationHandlers } from './operations/operation-handler'
import { readLayout } from './operations/read-layout'
import { assertSameDrive, assertTypedConfirmation, assertWritable, driveLabel, typedConfirmationFor } from './write-safety'

/** How long a confirmation stays valid: long enough to read the dialog, short enough that the drive is still the one shown. */
const CONFIRMATION_TTL_MS = 10 * 60 * 1000

export interface WriteRequest {
  target: string
  verify?: boolean
  createSizeBytes?: number
  operation: WriteOperation
}

interface Pending extends ConfirmedWrite {
  expiresAt: number
  typedConfirmation: string | null
}

/** Opens a disk for writing: in this process when it has the rights, else through the elevated helper. */
export type DeviceOpener = TargetOpener

/**
 * Reading layouts and carrying out destructive writes, behind the two-step confirmation:
 * prepareWrite shows what will be erased and issues a one-time token bound to the drive's
 * identity and the exact operation; the write call must present it (and, for a fixed
 * disk, the typed name), and the drive is identified again before the job starts and
 * again right before the first byte.
 */
export class DriveWriter {
  private readonly pending = new Map<string, Pending>()

  constructor(
    private readonly drives: DriveMonitor,
    private readonly jobs: JobManager,
    private readonly openDevice: DeviceOpener,
    private readonly handlers: OperationHandlers,
    private readonly now: () => number = Date.now,
  ) {}

  /** A drive id from the listing, or `file:` and a path (registered or not). */
  async resolve(target: string): Promise<Drive> {
    if (target.startsWith(FILE_PREFIX)) {
      const path = resolve(target.slice(FILE_PREFIX.length))
      checkImageFilePath(path)
      return describeImageFile(path)
    }
    const listing = await this.drives.refresh()
    const drive = listing.disks.find((d) => d.id === target)
    if (!drive) throw new AppError('NOT_FOUND', `No drive ${target} is attached (unplugged?): refresh the list and choose again`, { target })
    return drive
  }

  async layout(target: string): Promise<DriveLayoutReport> {
    const drive = await this.resolve(target)
    if (drive.kind === 'image-file' && !drive.exists) throw new AppError('NOT_FOUND', `${drive.device} does not exist yet`, { path: drive.device })
    return withReader(drive, (reader) => readLayout(reader, drive.id))
  }

  async prepare(request: WriteRequest): Promise<WritePreparation> {
    const drive = await this.resolve(request.target)
    assertWritable(drive)
    const identity = identify(drive)
    if (!identity) throw new AppError('NOT_FOUND', `${drive.device} is gone (unplugged?)`, { device: drive.device })
    const handler = handlerFor(this.handlers, request.operation)
    const createSizeBytes = await this.createSize(drive, request)
    const sizeBytes = drive.exists ? (drive.sizeBytes ?? 0) : createSizeBytes
    const verify = request.verify ?? (handler.verifiesByDefault || drive.kind === 'disk')
    const outcome = await handler.describe(request.operation, { id: request.target, sizeBytes })
    const erases = await this.describeErasure(drive)
    const token = randomBytes(24).toString('base64url')
    const typedConfirmation = typedConfirmationFor(drive)
    const expiresAt = this.now() + CONFIRMATION_TTL_MS
    this.sweep()
    this.pending.set(token, { drive, identity, operation: request.operation, verify, createSizeBytes, expiresAt, typedConfirmation })
    const warnings: string[] = []
    if (typedConfirmation) warnings.push(`${drive.device} is a fixed disk, not a removable one: check that it is really the disk to erase.`)
    if (!verify && drive.kind === 'disk') warnings.push('Verification is off: a failing or fake-capacity drive will not be noticed.')
    return { token, expiresAt, drive, identity, operation: request.operation, verify, createSizeBytes, driveLabel: driveLabel(drive), erases, outcome, typedConfirmation, warnings }
  }

  /** Starts the confirmed write as a job; refuses when the confirmation does not match the drive and operation exactly. */
  async start(request: WriteRequest, confirmation: WriteConfirmation): Promise<JobSnapshot> {
    const pending = this.pending.get(confirmation.token)
    // A token is good for one attempt, whatever its outcome.
    this.pending.delete(confirmation.token)
    if (!pending || pending.expiresAt < this.now()) {
      throw new AppError('UNSAFE_TARGET', 'This confirmation is unknown or has expired (each is good once, for 10 minutes): confirm the drive again. Nothing was written.', {
        reason: 'confirmation expired',
      })
    }
    const confirmed = { target: pending.drive.id, verify: pending.verify, createSizeBytes: pending.createSizeBytes, operation: pending.operation }
    const asked = {
      target: request.target.startsWith(FILE_PREFIX) ? `${FILE_PREFIX}${resolve(request.target.slice(FILE_PREFIX.length))}` : request.target,
      verify: request.verify ?? pending.verify,
      createSizeBytes: request.createSizeBytes ?? pending.createSizeBytes,
      operation: request.operation,
    }
    if (canonical(confirmed) !== canonical(asked)) {
      throw new AppError('UNSAFE_TARGET', `The confirmation was given for another drive or operation (${summarize(pending)}): confirm this one again. Nothing was written.`, {
        reason: 'confirmation mismatch',
      })
    }
    assertTypedConfirmation(pending.drive, pending.typedConfirmation, confirmation.typed)
    const fresh = await this.resolve(request.target)
    assertWritable(fresh)
    assertSameDrive(pending.identity, identify(fresh))
    return this.jobs.start(driveWriteJob(pending, this.openDevice, handlerFor(this.handlers, pending.operation).work(pending.operation, pending)))
  }

  private async createSize(drive: Drive, request: WriteRequest): Promise<number | null> {
    if (drive.exists) {
      if (request.createSizeBytes !== undefined) {
        throw new AppError('VALIDATION', `${drive.device} already exists (${formatBytes(drive.sizeBytes)}); a size is only for a new image file`, { field: 'createSizeBytes' })
      }
      return null
    }
    if (request.createSizeBytes !== undefined) return request.createSizeBytes
    const size = await handlerFor(this.handlers, request.operation).defaultCreateSize?.(request.operation)
    if (size === 'fit') return null
    if (size !== undefined) return size
    throw new AppError('VALIDATION', `${drive.device} does not exist yet: give the size of the image file to create`, { field: 'createSizeBytes' })
  }

  private async describeErasure(drive: Drive): Promise<WritePreparation['erases']> {
    const label = driveLabel(drive)
    if (drive.kind === 'image-file' && !drive.exists) {
      return { summary: [`A new image file is created at ${drive.device}; nothing existing is erased.`], table: null, partitions: [], volumes: [] }
    }
    const summary = [`Everything on ${label} is erased.`]
    let partitions: PartitionRow[] = []
    let table: WritePreparation['erases']['table'] = drive.partitionTable
    try {
      const report = await withReader(drive, (reader) => readLayout(reader, drive.id))
      partitions = report.partitions
      table = report.table
      summary.push(
        report.table === null
          ? 'It holds no partition table (blank, or one file system over the whole drive).'
          : `It holds a ${report.table.toUpperCase()} partition table with ${partitions.length} partition${partitions.length === 1 ? '' : 's'}${partitions.length ? ': ' : '.'}${partitions.map(describeRow).join('; ')}${partitions.length ? '.' : ''}`,
      )
    } catch (error) {
      summary.push(`Its partition table could not be read (${toErrorInfo(error).message}).`)
    }
    if (drive.volumes.length > 0) {
      summary.push(`Mounted now, and unmounted before writing: ${drive.volumes.map((v) => `${v.mountpoint}${v.label ? ` (${v.label})` : ''}`).join(', ')}.`)
    }
    return { summary, table, partitions, volumes: drive.volumes }
  }

  private sweep(): void {
    const now = this.now()
    for (const [token, pending] of this.pending) if (pending.expiresAt < now) this.pending.delete(token)
  }
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b))) : v,
  )
}

function summarize(pending: Pending): string {
  return `${pending.operation.kind} of ${pending.drive.device}`
}

/** Reads a drive without writing it: an image file, or a disk opened read-only (which may need administrator rights). */
async function withReader<T>(drive: Drive, use: (reader: ByteTarget) => Promise<T>): Promise<T> {
  let reader: FileTarget
  try {
    reader = await FileTarget.openExisting(drive.device, { writable: false, ...(drive.kind === 'disk' ? { size: drive.sizeBytes ?? 0 } : {}) })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('IO', `Reading ${drive.device} needs administrator rights`, { device: drive.device, errno: code })
    throw error
  }
  try {
    return await use(reader)
  } finally {
    await reader.close()
  }
}
