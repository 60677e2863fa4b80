import { AppError } from '../../../shared/errors'

/**
 * What a capture leaves out or stores uncompressed, in the WimScript.ini format DISM and
 * ImageX read: [ExclusionList], [ExclusionException], [CompressionExclusionList].
 * A pattern with a backslash is matched against the whole path from the capture root
 * (a leading "\" anchors it there); a pattern without one is matched against the name
 * alone. "*" and "?" are wildcards; matching ignores case, as Windows does. Excluding a
 * folder excludes everything in it.
 */
export interface CaptureConfig {
  exclusions: string[]
  exceptions: string[]
  compressionExclusions: string[]
}

/** Left out of every capture unless a config says otherwise: what Windows rebuilds by itself. */
export const DEFAULT_CAPTURE_CONFIG: CaptureConfig = {
  exclusions: [
    '\\$ntfs.log',
    '\\hiberfil.sys',
    '\\pagefile.sys',
    '\\swapfile.sys',
    '\\System Volume Information',
    '\\RECYCLER',
    '\\$Recycle.Bin',
    '\\Windows\\CSC',
  ],
  exceptions: [],
  compressionExclusions: ['*.mp3', '*.zip', '*.cab', '\\WINDOWS\\inf\\*.pnf'],
}

const SECTIONS: Record<string, keyof CaptureConfig> = {
  exclusionlist: 'exclusions',
  exclusionexception: 'exceptions',
  compressionexclusionlist: 'compressionExclusions',
}

export function parseCaptureConfig(text: string, file: string): CaptureConfig {
  const config: CaptureConfig = { exclusions: [], exceptions: [], compressionExclusions: [] }
  let section: keyof CaptureConfig | null = null
  text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.replace(/;.*$/, '').trim()
      if (!line) return
      const header = /^\[(.+)\]$/.exec(line)
      if (header) {
        const name = header[1]!.trim().toLowerCase().replace(/\s+/g, '')
        section = SECTIONS[name] ?? null
        if (!section) throw new AppError('VALIDATION', `${file} line ${i + 1}: unknown section [${header[1]}]`, { file, line: i + 1 })
        return
      }
      if (!section) throw new AppError('VALIDATION', `${file} line ${i + 1}: "${line}" is outside any section`, { file, line: i + 1 })
      // A drive letter means the root of the captured volume.
      config[section].push(line.replace(/^[A-Za-z]:/, '').replaceAll('/', '\\').replace(/\\+$/, ''))
    })
  return config
}

function toRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^\\\\]*').replace(/\?/g, '[^\\\\]')
  return new RegExp(`^${escaped}$`, 'i')
}

interface Matcher {
  test(path: string, name: string): boolean
}

function matcher(patterns: string[]): Matcher {
  const compiled = patterns.map((p) => {
    const anchored = p.includes('\\')
    return { anchored, re: toRegExp(anchored ? (p.startsWith('\\') ? p : `\\${p}`) : p) }
  })
  return { test: (path, name) => compiled.some((c) => c.re.test(c.anchored ? path : name)) }
}

export class CaptureFilter {
  private readonly excluded: Matcher
  private readonly excepted: Matcher
  private readonly rawStored: Matcher

  constructor(config: CaptureConfig) {
    this.excluded = matcher(config.exclusions)
    this.excepted = matcher(config.exceptions)
    this.rawStored = matcher(config.compressionExclusions)
  }

  /** `path` is from the capture root with backslashes, starting with "\". */
  isExcluded(path: string, name: string): boolean {
    return this.excluded.test(path, name) && !this.excepted.test(path, name)
  }

  isStoredUncompressed(path: string, name: string): boolean {
    return this.rawStored.test(path, name)
  }
}
