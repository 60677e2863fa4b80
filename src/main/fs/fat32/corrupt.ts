import { AppError } from '../../../shared/errors'

/** Where a structure was read from: the target's name and the absolute byte offset. */
export interface Location {
  target: string
  offset: number
}

/** The error for anything on disk that is not as the FAT specification says it must be. */
export function corrupt(structure: string, at: Location, problem: string): AppError {
  return new AppError('CORRUPT', `${at.target}: ${structure} at byte ${at.offset}: ${problem}`, { path: at.target, structure, offset: at.offset })
}
