import type { WimArchive } from './archive'
import type { WimImageTree } from './metadata/model'

/** The trees of some images of a WIM and the hash of every blob they use, each once. */
export async function readImagesAndBlobs(archive: WimArchive, indexes: readonly number[]): Promise<{ trees: Map<number, WimImageTree>; hashes: Set<string> }> {
  const trees = new Map<number, WimImageTree>()
  const hashes = new Set<string>()
  for (const index of indexes) {
    const tree = await archive.readImageTree(index)
    trees.set(index, tree)
    const stack = [tree.root]
    while (stack.length > 0) {
      const dentry = stack.pop()!
      for (const s of dentry.inode.streams) if (s.hash) hashes.add(s.hash)
      if (dentry.children) stack.push(...dentry.children)
    }
  }
  return { trees, hashes }
}
