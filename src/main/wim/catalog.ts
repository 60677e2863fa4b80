import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { WimArchive } from './archive'
import type { WimImageTree } from './metadata/model'

interface Entry {
  key: string
  archive: Promise<WimArchive>
  trees: Map<number, Promise<WimImageTree>>
  /** Operations currently using the archive: it is not closed under them. */
  users: number
  lastUsed: number
  /** Dropped from the cache while in use: closed when the last user is done. */
  stale: boolean
}

/**
 * Keeps the last few opened WIMs and their image trees, so browsing an image folder by
 * folder does not re-read tens of megabytes of metadata per click. A file that changed on
 * disk (size or time) is reopened.
 */
export class WimCatalog {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly capacity = 3) {}

  /** Runs `use` with the opened archive; the archive stays open (and cached) meanwhile. */
  async with<T>(path: string, use: (archive: WimArchive, tree: (index: number) => Promise<WimImageTree>) => Promise<T>): Promise<T> {
    const entry = await this.entry(path)
    entry.users++
    try {
      const archive = await entry.archive
      const tree = (index: number): Promise<WimImageTree> => {
        let cached = entry.trees.get(index)
        if (!cached) {
          cached = archive.readImageTree(index)
          cached.catch(() => entry.trees.delete(index))
          entry.trees.set(index, cached)
        }
        return cached
      }
      return await use(archive, tree)
    } finally {
      entry.users--
      entry.lastUsed = Date.now()
      if (entry.stale && entry.users === 0) await (await entry.archive.catch(() => null))?.close()
      await this.evict()
    }
  }

  /** Closes a cached WIM before it is written (Windows cannot replace an open file). */
  async forget(path: string): Promise<void> {
    await this.drop(resolve(path))
  }

  async close(): Promise<void> {
    const all = [...this.entries.values()]
    this.entries.clear()
    await Promise.all(all.map(async (e) => (await e.archive.catch(() => null))?.close()))
  }

  private async entry(path: string): Promise<Entry> {
    const full = resolve(path)
    const st = await stat(full)
    const key = `${full}|${st.size}|${st.mtimeMs}`
    for (const [name, entry] of this.entries) {
      if (name === full && entry.key === key) return entry
      if (name === full) await this.drop(name)
    }
    const archive = WimArchive.open(full)
    const entry: Entry = { key, archive, trees: new Map(), users: 0, lastUsed: Date.now(), stale: false }
    this.entries.set(full, entry)
    archive.catch(() => this.entries.delete(full))
    return entry
  }

  private async evict(): Promise<void> {
    const idle = [...this.entries].filter(([, e]) => e.users === 0).sort((a, b) => a[1].lastUsed - b[1].lastUsed)
    while (this.entries.size > this.capacity && idle.length > 0) await this.drop(idle.shift()![0])
  }

  private async drop(name: string): Promise<void> {
    const entry = this.entries.get(name)
    this.entries.delete(name)
    if (!entry) return
    if (entry.users > 0) entry.stale = true
    else await (await entry.archive.catch(() => null))?.close()
  }
}
