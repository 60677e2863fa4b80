import { closeSync, openSync, readSync, writeSync } from 'node:fs'

/** A byte range of an image (a partition) as a file of its own, for checkers that take no offset (fsck.fat, fsck.exfat). */
export function extractRegion(image: string, offset: number, length: number, out = `${image}.region`): string {
  const input = openSync(image, 'r')
  const output = openSync(out, 'w')
  try {
    const buffer = Buffer.alloc(4 * 1024 * 1024)
    for (let done = 0; done < length; ) {
      const n = readSync(input, buffer, 0, Math.min(buffer.length, length - done), offset + done)
      if (n === 0) break
      writeSync(output, buffer, 0, n)
      done += n
    }
  } finally {
    closeSync(input)
    closeSync(output)
  }
  return out
}
