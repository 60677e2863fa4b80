import { readdirSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { AppError } from '../../shared/errors'

/**
 * Candidate files for the other parts of a split WIM, by the naming every tool uses:
 * install.swm, install2.swm, install3.swm, ... in the same folder (any case). Which file is
 * which part, and whether it belongs to this set at all, is decided by its header.
 */
export function splitPartCandidates(firstPartPath: string): string[] {
  const dir = dirname(firstPartPath)
  const ext = extname(firstPartPath)
  const stem = basename(firstPartPath, ext)
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = new RegExp(`^${escape(stem)}(\\d+)${escape(ext)}$`, 'i')
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    throw new AppError('IO', `Cannot list ${dir} to find the other parts of ${firstPartPath}: ${(error as Error).message}`, { path: dir })
  }
  return names.filter((n) => pattern.test(n)).map((n) => join(dir, n))
}

export function expectedPartName(firstPartPath: string, part: number): string {
  const ext = extname(firstPartPath)
  return `${basename(firstPartPath, ext)}${part}${ext}`
}
