/**
 * Whether a name read from an archive (WIM, ISO) may become a file name on this host without
 * escaping the extraction root or naming something it must not. Anything that is not a
 * plain single name is refused: the caller skips the entry and reports it.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i
const WINDOWS_FORBIDDEN = /[<>:"|?*\\]/

function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) < 0x20) return true
  return false
}

export function unsafeNameReason(name: string, platform: NodeJS.Platform = process.platform): string | null {
  if (name === '') return 'the name is empty'
  if (name === '.' || name === '..') return `the name is "${name}"`
  if (name.includes('/')) return 'the name contains "/"'
  if (name.includes('\0')) return 'the name contains a NUL character'
  if (platform === 'win32') {
    if (WINDOWS_FORBIDDEN.test(name) || hasControlCharacter(name)) return 'the name contains a character Windows does not allow'
    if (WINDOWS_RESERVED.test(name)) return 'the name is a Windows device name'
    if (/[. ]$/.test(name)) return 'the name ends with a dot or a space'
    if (name.length > 255) return 'the name is longer than 255 characters'
  } else if (Buffer.byteLength(name, 'utf8') > 255) {
    return 'the name is longer than 255 bytes'
  }
  return null
}
