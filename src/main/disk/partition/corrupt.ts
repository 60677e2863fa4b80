import { AppError } from '../../../shared/errors'

/** Where a structure sits: named in every CORRUPT error so a technician can find it. */
export interface Origin {
  /** The target's name (an image path or a device). */
  path: string
  /** e.g. "MBR", "primary GPT header", "backup GPT entry 3". */
  structure: string
  /** Byte offset of the structure on the target. */
  offset: number
}

export function corrupt(origin: Origin, message: string, field?: string): AppError {
  return new AppError('CORRUPT', `${origin.path}: ${origin.structure} at byte ${origin.offset}: ${message}`, {
    path: origin.path,
    structure: origin.structure,
    offset: origin.offset,
    field,
  })
}
