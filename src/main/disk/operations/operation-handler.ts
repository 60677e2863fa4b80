import type { WriteOperation } from '../../../shared/drives'
import type { ConfirmedWrite, WriteWork } from './drive-write-job'

/** The target as an operation is planned for it: null size for an image file sized to fit. */
export interface PlannedTarget {
  id: string
  sizeBytes: number | null
}

/** One kind of destructive operation: what it will do, in words, and the work that does it. */
export interface OperationHandler<Op extends WriteOperation> {
  /** Read back even an image file unless told not to (drives always are). */
  verifiesByDefault?: boolean
  /**
   * The size of a new image file when the user gave none: bytes, 'fit' when the work settles
   * it once it has prepared what goes on it, or absent when the user must say.
   */
  defaultCreateSize?(op: Op): Promise<number | 'fit'>
  /**
   * Checks the operation against the target and says what the drive will hold afterwards.
   * Whatever can be known to fail before writing fails here, before a confirmation is issued.
   */
  describe(op: Op, target: PlannedTarget): Promise<string>
  work(op: Op, write: ConfirmedWrite): WriteWork
}

export type OperationHandlers = { [K in WriteOperation['kind']]: OperationHandler<Extract<WriteOperation, { kind: K }>> }

/** The handler of an operation, typed by its kind. */
export function handlerFor<Op extends WriteOperation>(handlers: OperationHandlers, op: Op): OperationHandler<Op> {
  return handlers[op.kind] as unknown as OperationHandler<Op>
}
