import { createHash } from 'node:crypto'
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

export interface EntryFacts {
  type: 'dir' | 'file' | 'symlink'
  size: number
  sha1: string | null
  linkTarget: string | null
  /** Times in nanoseconds, as the file system holds them. */
  mtimeNs: bigint
  atimeNs: bigint
  /** The other names of the same file in the tree (hard links), sorted. */
  sameFileAs: string[]
}

/**
 * Everything a tree comparison needs, per relative path. All stats are taken before any
 * file is read, so reading contents cannot disturb access times.
 */
export function describeTree(root: string): Map<string, EntryFacts> {
  const stats = new Map<string, ReturnType<typeof lstatSync> & object>()
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name
      const st = lstatSync(join(root, path), { bigint: true })
      stats.set(path, st as never)
      if (st.isDirectory()) walk(path)
    }
  }
  walk('')
  const byInode = new Map<bigint, string[]>()
  for (const [path, st] of stats) {
    const s = st as unknown as { ino: bigint; isFile(): boolean }
    if (s.isFile()) byInode.set(s.ino, [...(byInode.get(s.ino) ?? []), path])
  }
  const out = new Map<string, EntryFacts>()
  for (const [path, raw] of stats) {
    const st = raw as unknown as { ino: bigint; size: bigint; mtimeNs: bigint; atimeNs: bigint; isDirectory(): boolean; isSymbolicLink(): boolean; isFile(): boolean }
    const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'file'
    out.set(path, {
      type,
      size: type === 'file' ? Number(st.size) : 0,
      sha1: type === 'file' ? createHash('sha1').update(readFileSync(join(root, path))).digest('hex') : null,
      linkTarget: type === 'symlink' ? readlinkSync(join(root, path)) : null,
      mtimeNs: st.mtimeNs,
      atimeNs: st.atimeNs,
      sameFileAs: type === 'file' ? (byInode.get(st.ino) ?? []).filter((p) => p !== path).sort() : [],
    })
  }
  return out
}

/**
 * The two trees hold the same entries with the same facts. Times may differ by up to 1.5 µs:
 * Node's file-time API takes seconds as a double (about 0.24 µs at today's dates) and libuv
 * then truncates to whole microseconds, so 100-ns FILETIME precision cannot be reproduced
 * exactly through it.
 */
export function treeDifferences(actual: Map<string, EntryFacts>, expected: Map<string, EntryFacts>, options: { atime?: boolean } = {}): string[] {
  const problems: string[] = []
  for (const path of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(path)
    const e = expected.get(path)
    if (!a || !e) {
      problems.push(`${path}: ${a ? 'unexpected' : 'missing'}`)
      continue
    }
    for (const key of ['type', 'size', 'sha1', 'linkTarget'] as const) if (a[key] !== e[key]) problems.push(`${path}: ${key} ${String(a[key])} != ${String(e[key])}`)
    if (a.sameFileAs.join('|') !== e.sameFileAs.join('|')) problems.push(`${path}: hard links [${a.sameFileAs.join(', ')}] != [${e.sameFileAs.join(', ')}]`)
    for (const key of options.atime === false ? (['mtimeNs'] as const) : (['mtimeNs', 'atimeNs'] as const)) {
      const diff = a[key] - e[key]
      if (diff > 1500n || diff < -1500n) problems.push(`${path}: ${key} differs by ${diff} ns`)
    }
  }
  return problems
}
