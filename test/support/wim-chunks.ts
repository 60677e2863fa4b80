import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readExactly } from '../../src/main/io/random-access'
import { WimArchive } from '../../src/main/wim/archive'
import { chunkCount, chunkUncompressedSize } from '../../src/main/wim/chunk-layout'
import type { Compression } from '../../src/main/wim/constants'

/** One compressed chunk as a real peer wrote it, and the bytes it must decompress to. */
export interface ChunkSample {
  compression: Compression
  chunkSize: number
  compressed: Uint8Array
  expected: Uint8Array
  /** Which blob and chunk, for failure messages. */
  where: string
}

function filesByHash(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const st = lstatSync(path)
    if (st.isDirectory()) filesByHash(path, out)
    else if (st.isFile() && st.size > 0) out.set(createHash('sha1').update(readFileSync(path)).digest('hex'), path)
  }
  return out
}

/**
 * Every compressed chunk of the file data in a WIM captured from `sourceDir` (chunks stored
 * raw are left out: they test no codec). Works for plain and solid resources: a solid
 * resource's uncompressed stream is rebuilt from its blobs' offsets.
 */
export async function chunkSamples(wimPath: string, sourceDir: string): Promise<ChunkSample[]> {
  const sources = filesByHash(sourceDir)
  const archive = await WimArchive.open(wimPath)
  const samples: ChunkSample[] = []
  try {
    const streams = new Map<string, { layout: Awaited<ReturnType<WimArchive['locate']>>; data: Uint8Array; name: string }>()
    for (const blob of archive.blobs.values()) {
      const path = sources.get(blob.hash)
      if (!path) continue
      const located = await archive.locate(blob)
      const key = blob.location.kind === 'solid' ? `solid@${located.layout.dataStart}` : `blob ${blob.hash}`
      let stream = streams.get(key)
      if (!stream) {
        stream = { layout: located, data: new Uint8Array(located.layout.uncompressedSize), name: key }
        streams.set(key, stream)
      }
      stream.data.set(readFileSync(path), located.start)
    }
    for (const { layout: located, data, name } of streams.values()) {
      const { layout, reader } = located
      for (let i = 0; i < chunkCount(layout); i++) {
        const stored = layout.offsets[i + 1]! - layout.offsets[i]!
        const size = chunkUncompressedSize(layout, i)
        if (stored === size) continue
        samples.push({
          compression: layout.compression,
          chunkSize: layout.chunkSize,
          compressed: await readExactly(reader, layout.dataStart + layout.offsets[i]!, stored, 'chunk'),
          expected: data.subarray(i * layout.chunkSize, i * layout.chunkSize + size),
          where: `${name} chunk ${i}`,
        })
      }
    }
  } finally {
    await archive.close()
  }
  return samples
}
