import { AppError } from '../../shared/errors'

/**
 * A WIM file that breaks the format: names the file, the structure and the byte offset (of
 * the file, or of the uncompressed metadata resource where that is what is being parsed).
 */
export function corrupt(file: string, structure: string, offset: number | null, problem: string): AppError {
  const where = offset === null ? '' : ` at offset ${offset}`
  return new AppError('CORRUPT', `${file}: ${structure}${where}: ${problem}`, { file, structure, offset })
}

export function unsupported(file: string, feature: string): AppError {
  return new AppError('UNSUPPORTED', `${file}: ${feature} is not supported`, { file, feature })
}

/** A 64-bit little-endian field as a JS number, refusing values beyond 2^53 (no real WIM has them). */
export function readU64(view: DataView, at: number, file: string, structure: string, base = 0): number {
  const value = view.getBigUint64(at, true)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(file, structure, base + at, `64-bit value ${value} is out of range`)
  return Number(value)
}
