import { rm } from 'node:fs/promises'
import type { Drive, DriveIdentity, DriveLayoutReport, DriveWriteResult, WriteOperation } from '../../../shared/drives'
import { AppError, toErrorInfo } from '../../../shared/errors'
import type { JobContext, JobSpec } from '../../jobs/job-manager'
import type { ByteTarget } from '../byte-target'
import { driveLabel } from '../write-safety'
import { JournalTarget } from '../write-journal'
import { readLayout } from './read-layout'

/** A write the user confirmed, as drives.prepareWrite recorded it. */
export interface ConfirmedWrite {
  drive: Drive
  identity: DriveIdentity
  operation: WriteOperation
  verify: boolean
  createSizeBytes: number | null
}

export interface OpenedTarget {
  target: ByteTarget
  /** The write created this image file: a failed write removes it again. */
  created: boolean
  /** Which engine writes (in-process, or the elevated helper). */
  engine: string
}

/** Opens the confirmed target, re-checking its identity right before; the one door to every write. */
export type TargetOpener = (write: ConfirmedWrite, log: (message: string) => void) => Promise<OpenedTarget>

/** The work of one operation on the opened target; returns what the drive now holds, in words. */
export type WriteBody = (target: ByteTarget, ctx: JobContext) => Promise<string>

/**
 * What one kind of operation does inside the shared frame of driveWriteJob (identity
 * re-check, open, flush, verify, and the account of what the drive holds if it stops).
 */
export interface WriteWork {
  title: string
  /**
   * Work before the drive is opened (reading a source, preparing files), in its own phases:
   * whatever fails here, nothing has been written. It may settle the size of an image file
   * created to fit what it prepared.
   */
  prepare?: { phases: JobPhaseSpec[]; run(ctx: JobContext): Promise<{ createSizeBytes?: number } | void> }
  write: WriteBody
  /**
   * The operation's own check of what was written (its files read back through their file
   * system, say), in place of reading back every byte: returns what was checked, in words.
   */
  verify?: (target: ByteTarget, ctx: JobContext) => Promise<string>
  /** Runs last, whatever happened: temporary files, open sources. */
  release?: () => Promise<void>
}

type JobPhaseSpec = JobSpec<unknown>['phases'][number]

export const RESTORE_HINT = 'not usable until restored (Drives › Restore drive)'

/**
 * Runs a destructive operation as a job: prepare, re-check and open the target, write, read
 * back (when verify is on), close. Whatever stops it, the log and the error say what the
 * drive now holds, and an image file the job created is removed again.
 */
export function driveWriteJob(write: ConfirmedWrite, open: TargetOpener, work: WriteWork): JobSpec<DriveWriteResult> {
  const label = driveLabel(write.drive)
  return {
    kind: `drives.${write.operation.kind}`,
    title: work.title,
    phases: [
      ...(work.prepare?.phases ?? []),
      { id: 'check', label: 'Check the drive' },
      { id: 'write', label: 'Write' },
      { id: 'verify', label: 'Verify' },
      { id: 'finish', label: 'Finish' },
    ],
    run: async (ctx) => {
      try {
        const prepared = (await work.prepare?.run(ctx).catch((error: unknown) => nothingWritten(error, label))) ?? {}
        ctx.phase('check')
        ctx.setTotal(null)
        const opened = await open({ ...write, createSizeBytes: prepared.createSizeBytes ?? write.createSizeBytes }, (m) => ctx.log('info', m))
        return await writeOpened(write, opened, work, label, ctx)
      } finally {
        await work.release?.()
      }
    },
  }
}

async function writeOpened(write: ConfirmedWrite, opened: OpenedTarget, work: WriteWork, label: string, ctx: JobContext): Promise<DriveWriteResult> {
  ctx.setEngine(opened.engine)
  const journal = new JournalTarget(opened.target, { record: write.verify && !work.verify })
  let stage: 'write' | 'verify' | 'finish' = 'write'
  try {
    ctx.phase('write')
    const holds = await work.write(journal, ctx)
    await journal.flush()
    let verified: boolean | null = null
    if (write.verify) {
      stage = 'verify'
      ctx.phase('verify')
      ctx.progress(0)
      if (work.verify) {
        ctx.log('info', await work.verify(journal, ctx))
      } else {
        ctx.setTotal(journal.coveredBytes)
        await journal.verify({ signal: ctx.signal, onBytes: (n) => ctx.advance(n) })
        ctx.log('info', `Read back ${journal.coveredBytes} bytes: identical to what was written`)
      }
      verified = true
    } else {
      ctx.skipPhase('verify')
    }
    stage = 'finish'
    ctx.phase('finish')
    const layout = await readBack(journal, write.drive.id)
    await journal.close()
    ctx.log('info', `${label} now holds ${holds}`)
    return {
      target: write.drive.id,
      device: write.drive.device,
      operation: write.operation.kind,
      bytesWritten: journal.bytesWritten,
      verified,
      holds,
      layout,
    }
  } catch (error) {
    await journal.close().catch(() => undefined)
    const info = toErrorInfo(error)
    if (opened.created) {
      // Nothing is left to restore: saying what the removed file "holds" would send people to the Drives page for nothing.
      await rm(write.drive.device, { force: true })
      ctx.log('warn', `Removed the unfinished image file ${write.drive.device}`)
      throw new AppError(info.code, `${info.message} — the unfinished image file ${write.drive.device} was removed`, { ...info.details, driveState: 'removed' }, { cause: error })
    }
    const state = interruptedState(journal.bytesWritten, stage, error)
    ctx.log('warn', `${label} now holds ${state}`)
    throw new AppError(info.code, `${info.message} — ${label} now holds ${state}`, { ...info.details, driveState: state }, { cause: error })
  }
}

function nothingWritten(error: unknown, label: string): never {
  const info = toErrorInfo(error)
  throw new AppError(info.code, `${info.message} — nothing was written to ${label}`, { ...info.details, driveState: 'unchanged' }, { cause: error })
}

function interruptedState(bytesWritten: number, stage: 'write' | 'verify' | 'finish', error: unknown): string {
  if (bytesWritten === 0) return 'what it held before: nothing was written'
  if (stage === 'write') return `a partial write (${bytesWritten} bytes) and no valid partition table: it is ${RESTORE_HINT}`
  if (stage === 'verify' && toErrorInfo(error).code === 'CANCELLED') return 'the complete write, but it was not verified'
  if (stage === 'verify') return `a write that did not read back correctly: do not use it`
  return 'the complete, verified write'
}

async function readBack(target: ByteTarget, id: string): Promise<DriveLayoutReport | null> {
  try {
    return await readLayout(target, id)
  } catch {
    // A raw image may carry a table we cannot read (a hybrid ISO's odd MBR): the write itself is fine.
    return null
  }
}
