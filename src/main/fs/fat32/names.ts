/**
 * Long names as FAT holds them: up to 255 UTF-16 code units, without the characters
 * Windows forbids, compared without regard to case.
 */
const MAX_LONG_NAME = 255
const FORBIDDEN = new Set('"*/:<>?\\|')

/** Why `name` cannot be a FAT file name, or undefined when it can. */
export function longNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty'
  if (name.length > MAX_LONG_NAME) return `the name is ${name.length} characters long; FAT allows ${MAX_LONG_NAME}`
  for (const char of name) {
    const code = char.codePointAt(0)!
    if (code < 0x20) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`
    if (FORBIDDEN.has(char)) return `the character ${char} is not allowed`
    if (code >= 0xd800 && code <= 0xdfff) return 'an unpaired UTF-16 surrogate'
  }
  // Windows strips these, so such a name could not be opened by its own name there.
  if (name.endsWith('.') || name.endsWith(' ')) return 'the name ends with a dot or a space'
  return undefined
}

/**
 * The key two names share when FAT considers them the same. Windows upper-cases code unit
 * by code unit, so a character whose upper case is longer (ß) stays as it is.
 */
export function foldName(name: string): string {
  let folded = ''
  for (let i = 0; i < name.length; i++) {
    const unit = name[i]!
    const upper = unit.toUpperCase()
    folded += upper.length === 1 ? upper : unit
  }
  return folded
}
