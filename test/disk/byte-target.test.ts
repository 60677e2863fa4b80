import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FileTarget } from '../../src/main/disk/byte-target'
import { alignedBytes } from '../../src/main/io/aligned'
import { tempDir } from '../support/temp'

const MiB = 1 << 20

/** Pages of a file in the page cache, by util-linux's fincore. */
function cachedPages(path: string): number {
  const result = spawnSync('fincore', ['--noheadings', '--raw', '--output', 'PAGES', path], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`fincore failed: ${result.stderr}`)
  return Number(result.stdout.trim())
}

/**
 * Writes three ways into a new 4 MiB image in `dir`: a 1 MiB aligned block from aligned
 * memory, 3 bytes at offset 100, and a 4 KiB block from memory that is not 4 KiB-aligned.
 * Returns the pages cached right after, and checks every byte read back.
 */
async function writeThreeWays(dir: string): Promise<number> {
  const path = join(dir, 'direct.img')
  const target = await FileTarget.create(path, 4 * MiB)
  const memory = alignedBytes(2 * MiB)
  const block = memory.subarray(0, MiB).fill(0xa5)
  const offPage = memory.subarray(MiB + 512, MiB + 512 + 4096).fill(0x5a)
  await target.write(block, MiB)
  await target.write(new Uint8Array([7, 8, 9]), 100)
  await target.write(offPage, 3 * MiB)
  await target.flush()
  const pages = cachedPages(path)
  // Reading into aligned memory goes the same way as the write: nothing more is cached.
  const readBack = alignedBytes(MiB)
  expect(await target.read(readBack, MiB)).toBe(MiB)
  expect(readBack.every((b) => b === 0xa5)).toBe(true)
  expect(cachedPages(path)).toBe(pages)
  await target.close()
  const back = readFileSync(path)
  expect(back.subarray(100, 103)).toEqual(Buffer.from([7, 8, 9]))
  expect(back.subarray(MiB, 2 * MiB).every((b) => b === 0xa5)).toBe(true)
  expect(back.subarray(3 * MiB, 3 * MiB + 4096).every((b) => b === 0x5a)).toBe(true)
  expect(back.subarray(103, MiB).every((b) => b === 0)).toBe(true)
  return pages
}

describe('FileTarget', () => {
  const dir = tempDir()

  it('creates a file of the asked size and writes and reads at offsets', async () => {
    const path = join(dir, 'disk.img')
    const target = await FileTarget.create(path, 1 << 20)
    await target.write(new Uint8Array([1, 2, 3]), 4096)
    const back = new Uint8Array(5)
    expect(await target.read(back, 4095)).toBe(5)
    expect([...back]).toEqual([0, 1, 2, 3, 0])
    await target.flush()
    await target.close()
    expect(statSync(path).size).toBe(1 << 20)
  })

  it('refuses a write past the end, naming the file and offset', async () => {
    const path = join(dir, 'small.img')
    const target = await FileTarget.create(path, 512)
    await expect(target.write(new Uint8Array(2), 511)).rejects.toThrow(expect.objectContaining({ code: 'IO', details: { path, offset: 511 } }))
    await target.close()
  })

  it('writes and reads aligned blocks in aligned memory past the page cache, anything else through it', async () => {
    // The page of the 3 bytes and the page of the block from unaligned memory; none of the 1 MiB block.
    expect(await writeThreeWays(dir)).toBe(2)
  })

  describe('on a file system that refuses direct writes (tmpfs)', () => {
    const shm = mkdtempSync('/dev/shm/imaging-test-')
    afterAll(() => rmSync(shm, { recursive: true, force: true }))

    it('writes everything through the page cache, with the same result', async () => {
      expect(spawnSync('stat', ['--file-system', '--format', '%T', shm], { encoding: 'utf8' }).stdout.trim()).toBe('tmpfs')
      expect(await writeThreeWays(shm)).toBe(258)
    })
  })
})
