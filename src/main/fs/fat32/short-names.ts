/**
 * 8.3 names as Windows makes them. A name that already is a valid 8.3 name is kept (its
 * case in the NT case flags when each part is all lower or all upper); any other name gets
 * a basis name (upper case, invalid characters as '_', spaces and inner dots dropped) and
 * a numeric tail ~N unique in its directory, and is stored in a long-name entry as well.
 *
 * Short names here are ASCII only: bytes above 0x7F would mean different characters under
 * different OEM code pages, and the long name carries the real name anyway. Tails count up
 * as fatgen103 describes; Windows NT switches to an undocumented hash (XY1A2B~1) after ~4,
 * which only matters for uniqueness, and these are unique.
 */
import { AppError } from '../../../shared/errors'

/** The 11-byte name field: base padded to 8, extension padded to 3, one character per byte. */
export type ShortNameField = string

/** NT case flags (directory entry byte 12). */
export const LOWER_CASE_BASE = 0x08
export const LOWER_CASE_EXTENSION = 0x10

const SPECIALS = new Set("!#$%&'()-@^_`{}~")
const DELETED_MARK = 0xe5
/** A name starting with byte 0xE5 is stored with 0x05, since 0xE5 marks a deleted entry. */
const ESCAPED_DELETED_MARK = 0x05

function isShortNameChar(char: string): boolean {
  return /^[A-Za-z0-9]$/.test(char) || SPECIALS.has(char)
}

function pad(text: string, width: number): string {
  return text.padEnd(width, ' ')
}

export interface ExactShortName {
  field: ShortNameField
  caseFlags: number
  /** Upper and lower case mixed within the base or the extension: only a long name keeps it. */
  needsLongName: boolean
}

/** The short form of a name that is already a valid 8.3 name, or undefined. */
export function exactShortName(name: string): ExactShortName | undefined {
  const match = /^([^.]{1,8})(?:\.([^.]{1,3}))?$/.exec(name)
  if (!match || ![...name].every((c) => c === '.' || isShortNameChar(c))) return undefined
  const base = match[1]!
  const extension = match[2] ?? ''
  const baseCase = letterCase(base)
  const extensionCase = letterCase(extension)
  const field = pad(base.toUpperCase(), 8) + pad(extension.toUpperCase(), 3)
  // With a long name the short entry is plain upper case, as Windows leaves it.
  if (baseCase === 'mixed' || extensionCase === 'mixed') return { field, caseFlags: 0, needsLongName: true }
  return { field, caseFlags: (baseCase === 'lower' ? LOWER_CASE_BASE : 0) | (extensionCase === 'lower' ? LOWER_CASE_EXTENSION : 0), needsLongName: false }
}

function letterCase(text: string): 'lower' | 'upper' | 'mixed' {
  const hasLower = /[a-z]/.test(text)
  const hasUpper = /[A-Z]/.test(text)
  return hasLower && hasUpper ? 'mixed' : hasLower ? 'lower' : 'upper'
}

/** fatgen103's basis name, with Windows' handling of inner dots (dropped, not a cut). */
function basisName(name: string): { base: string; extension: string } {
  let text = ''
  for (const char of name) {
    if (char === ' ') continue
    text += char === '.' ? '.' : isShortNameChar(char) ? char.toUpperCase() : '_'
  }
  text = text.replace(/^\.+/, '')
  const dot = text.lastIndexOf('.')
  return {
    base: (dot < 0 ? text : text.slice(0, dot)).replaceAll('.', '').slice(0, 8),
    extension: dot < 0 ? '' : text.slice(dot + 1, dot + 4),
  }
}

/** The short names of one directory, so that each is given out once. */
export class ShortNameTable {
  private readonly taken = new Set<ShortNameField>()
  /** Next tail to try per basis, so a directory of thousands of similar names stays linear. */
  private readonly nextTail = new Map<string, number>()

  /** Reserve a name the caller has made sure is not taken (an exact 8.3 name). */
  claim(field: ShortNameField): void {
    this.taken.add(field)
  }

  /** A new short name for `longName`, with the lowest numeric tail not yet taken. */
  generate(longName: string): ShortNameField {
    const { base, extension } = basisName(longName)
    const key = `${base}.${extension}`
    // Ends within taken.size + 1 tries; the planner keeps a directory to 65534 names.
    for (let n = this.nextTail.get(key) ?? 1; ; n++) {
      const tail = `~${n}`
      const field = pad(base.slice(0, 8 - tail.length) + tail, 8) + pad(extension, 3)
      if (!this.taken.has(field)) {
        this.taken.add(field)
        this.nextTail.set(key, n + 1)
        return field
      }
    }
  }
}

/** A volume label as the 11-byte field, upper case and padded; labels follow the short-name rules plus spaces. */
export function labelField(label: string): ShortNameField {
  const upper = label.toUpperCase()
  const valid = upper.length <= 11 && !upper.startsWith(' ') && [...upper].every((c) => isShortNameChar(c) || c === ' ')
  if (!valid) {
    throw new AppError('VALIDATION', `Volume label "${label}" is not valid: up to 11 letters, digits, spaces or ${[...SPECIALS].join('')}, not starting with a space`, {
      field: 'label',
      label,
    })
  }
  return pad(upper, 11)
}

/**
 * Code page 850, bytes 0x80-0xFF: what other tools' short names mean by bytes above ASCII.
 * A volume does not say which OEM code page wrote it; 850 (Western European Windows, and
 * mtools' default) holds every Latin-1 letter, upper case included.
 */
const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0'

/** The short name as a person would type it, with the NT case flags applied. */
export function displayShortName(field: ShortNameField, caseFlags: number): string {
  const text = field.replace(/[\u0080-\u00ff]/g, (c) => CP850_HIGH[c.charCodeAt(0) - 0x80]!)
  let base = text.slice(0, 8).trimEnd()
  let extension = text.slice(8, 11).trimEnd()
  if (field.charCodeAt(0) === ESCAPED_DELETED_MARK) base = CP850_HIGH[DELETED_MARK - 0x80]! + base.slice(1)
  if (caseFlags & LOWER_CASE_BASE) base = base.toLowerCase()
  if (caseFlags & LOWER_CASE_EXTENSION) extension = extension.toLowerCase()
  return extension ? `${base}.${extension}` : base
}
