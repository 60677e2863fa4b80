import { execFileSync } from 'node:child_process'
import { linkSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateBytes } from '../../src/main/jobs/tasks'
import { toolPath } from './tools'

/** Text that compresses like real files do (repetitive, but not trivially). */
export function textBytes(seed: number, length: number): Uint8Array {
  const words = ['Windows', 'System32', 'driver', 'setup', 'image', 'deploy', 'capture', 'volume', 'partition', 'boot', 'config', 'registry']
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  let at = 0
  while (at < length) {
    x = (x * 1103515245 + 12345) >>> 0
    const word = `${words[x % words.length]!}${x % 7 === 0 ? '\r\n' : ' '}${x % 13 === 0 ? String(x % 1000) : ''}`
    for (let i = 0; i < word.length && at < length; i++) out[at++] = word.charCodeAt(i)
  }
  return out
}

export interface SampleTreeOptions {
  /** Leave out symbolic links (for comparisons where a peer cannot keep them). */
  symlinks?: boolean
  /** Leave out the link to a folder (stored differently by wimlib before 1.14.2 than by DISM). */
  folderSymlink?: boolean
}

/**
 * A tree with the cases a WIM engine gets wrong: unicode and very long names, a deep tree,
 * empty files and directories, files of exactly one chunk and one byte over, larger files,
 * duplicate contents, hard links, symbolic links (relative, to a directory, dangling).
 */
export function buildSampleTree(root: string, options: SampleTreeOptions = {}): void {
  mkdirSync(root, { recursive: true })
  const file = (path: string, data: Uint8Array | string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), data)
  }
  file('readme.txt', 'Imaging Workstation test tree\r\n')
  file('empty.bin', new Uint8Array(0))
  file('chunk/exact-32768.bin', generateBytes(1, 32768))
  file('chunk/over-32769.bin', generateBytes(2, 32769))
  file('chunk/under-32767.bin', textBytes(3, 32767))
  file('big/random-300k.bin', generateBytes(4, 300_000))
  file('big/text-1m.txt', textBytes(5, 1_000_000))
  file('big/zeros-200k.bin', new Uint8Array(200_000))
  file('dup/a.txt', textBytes(6, 50_000))
  file('dup/b.txt', textBytes(6, 50_000))
  file('dup/nested/c.txt', textBytes(6, 50_000))
  file('unicode/Español.txt', 'hola')
  file('unicode/日本語のファイル.txt', textBytes(7, 5000))
  file('unicode/emoji-😀.txt', 'smile')
  file(`long/${'n'.repeat(200)}.txt`, 'long name')
  let deep = 'deep'
  for (let i = 0; i < 24; i++) deep += `/level${i}`
  file(`${deep}/bottom.txt`, 'bottom of the tree')
  mkdirSync(join(root, 'empty-dir'), { recursive: true })
  file('links/original.txt', textBytes(8, 70_000))
  linkSync(join(root, 'links/original.txt'), join(root, 'links/hardlink.txt'))
  linkSync(join(root, 'links/original.txt'), join(root, 'hardlink-elsewhere.txt'))
  if (options.symlinks !== false) {
    symlinkSync('original.txt', join(root, 'links/symlink-to-file'))
    if (options.folderSymlink !== false) symlinkSync('../chunk', join(root, 'links/symlink-to-dir'))
    symlinkSync('does-not-exist', join(root, 'links/dangling'))
  }
  // Fixed times, so a round trip can be compared exactly.
  utimesSync(join(root, 'readme.txt'), new Date('2021-03-04T05:06:07.123Z'), new Date('2020-01-02T03:04:05.678Z'))
}

export interface WimlibCaptureOptions {
  compress?: 'none' | 'xpress' | 'lzx' | 'lzms'
  solid?: boolean
  chunkSize?: number
  name?: string
  description?: string
  boot?: boolean
  integrity?: boolean
  /** Extra arguments, e.g. ['--unix-data']. */
  extra?: string[]
}

export function wimlib(args: string[]): string {
  return execFileSync(toolPath('wimlib-imagex'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function captureArgs(options: WimlibCaptureOptions): string[] {
  const args = [`--compress=${options.compress ?? 'lzx'}`]
  if (options.solid) args.push('--solid')
  if (options.chunkSize) args.push(`--chunk-size=${options.chunkSize}`)
  if (options.boot) args.push('--boot')
  if (options.integrity) args.push('--check')
  return [...args, ...(options.extra ?? [])]
}

export function wimlibCapture(source: string, wim: string, options: WimlibCaptureOptions = {}): void {
  wimlib(['capture', source, wim, options.name ?? 'Test image', ...(options.description ? [options.description] : []), ...captureArgs(options)])
}

export function wimlibAppend(source: string, wim: string, options: WimlibCaptureOptions = {}): void {
  wimlib(['append', source, wim, options.name ?? 'Appended image', ...(options.description ? [options.description] : []), ...captureArgs(options)])
}
