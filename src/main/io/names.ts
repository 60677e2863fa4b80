/**
 * Names that come out of archives and media (WIM, ISO, UDF), before they become file names.
 * Anything that is not one plain name is refused: the caller skips the entry and reports
 * it, so nothing can land outside the extraction folder.
 */

const WINDOWS_DEVICE_NAMES = new Set([
  'CON', 'PRN', 'AUX', 'NUL', 'CONIN$', 'CONOUT$',
  ...['COM', 'LPT'].flatMap((base) => [...'0123456789¹²³'].map((digit) => base + digit)),
])

/**
 * Why a name cannot be one file name on Windows (NTFS, FAT), or null if it can: what media
 * for Windows must hold, and what extraction on a Windows host refuses. Beyond separators and dot names this refuses what Windows would reinterpret: device
 * names (with any extension), ':' (NTFS streams), trailing dots and spaces (silently dropped,
 * so "a." would overwrite "a"), wildcard and control characters.
 */
export function unsafeWindowsNameReason(name: string): string | null {
  if (name === '') return 'it is empty'
  if (name === '.' || name === '..') return 'it names a directory relative to itself'
  if (/[/\\]/.test(name)) return 'it contains a path separator'
  if (name.includes('\0')) return 'it contains NUL'
  // eslint-disable-next-line no-control-regex
  if (/[\x01-\x1f]/.test(name)) return 'it contains a control character'
  if (name.includes(':')) return "it contains ':' (an NTFS stream separator)"
  if (/[<>"|?*]/.test(name)) return 'it contains a character Windows does not allow in names'
  if (/[. ]$/.test(name)) return 'it ends with a dot or a space, which Windows drops'
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name)) return 'it contains an unpaired UTF-16 surrogate'
  if (name.length > 255) return 'it is longer than 255 characters'
  const stem = name.split('.')[0].trimEnd().toUpperCase()
  if (WINDOWS_DEVICE_NAMES.has(stem)) return `it is the Windows device name ${stem}`
  return null
}

/**
 * Why a name from an archive cannot become a file name on this host, or null if it can. On
 * Windows that is the Windows rules; elsewhere only what could escape the target or the
 * file system cannot store (a Linux capture may legitimately hold ':' or '?' in names).
 */
export function unsafeNameReason(name: string, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'win32') return unsafeWindowsNameReason(name)
  if (name === '') return 'it is empty'
  if (name === '.' || name === '..') return 'it names a directory relative to itself'
  if (name.includes('/')) return 'it contains a path separator'
  if (name.includes('\0')) return 'it contains NUL'
  if (Buffer.byteLength(name, 'utf8') > 255) return 'it is longer than 255 bytes'
  return null
}

/**
 * The key two names share when Windows would treat them as the same name: simple (one
 * character to one character) upper-casing, as the NTFS up-case table does. Full case
 * mapping would make "ß" and "SS" collide, which Windows does not.
 */
export function nameKey(name: string): string {
  let key = ''
  for (const ch of name) {
    const upper = ch.toUpperCase()
    key += upper.length === ch.length ? upper : ch
  }
  return key
}

/** Sibling order used by every walk: case-insensitive, ties broken by the stored names. */
export function compareNames(a: string, b: string): number {
  const ka = nameKey(a)
  const kb = nameKey(b)
  if (ka !== kb) return ka < kb ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}
