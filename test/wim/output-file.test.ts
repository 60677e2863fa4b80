import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OutputFile } from '../../src/main/wim/write/output-file'
import { tempDir } from '../support/temp'

const MiB = 1024 * 1024

describe('OutputFile', () => {
  const dir = tempDir()

  it('patches bytes wherever they are: still buffered, already on disk, or across the two', async () => {
    const path = join(dir, 'patched.bin')
    const out = await OutputFile.create(path)
    const expected = new Uint8Array(20 * MiB)
    const write = async (data: Uint8Array) => {
      expected.set(data, out.position)
      await out.write(data)
    }
    const patch = async (data: Uint8Array, at: number) => {
      expected.set(data, at)
      await out.patch(data, at)
    }
    await write(new Uint8Array(100).fill(1))
    // Inside the buffer, not at its start (a chunk table reserved after a header).
    await patch(Uint8Array.of(9, 8, 7, 6), 40)
    await write(new Uint8Array(9 * MiB).fill(2))
    // Now on disk.
    await patch(Uint8Array.of(5, 5, 5), 10)
    await write(new Uint8Array(3 * MiB).fill(3))
    // Straddling what was flushed and what is buffered.
    const flushedEnd = 100 + 9 * MiB
    await patch(new Uint8Array(64).fill(4), flushedEnd - 32)
    await patch(new Uint8Array(8).fill(6), out.position - 8)
    const size = out.position
    await out.close()
    expect(Buffer.compare(readFileSync(path), Buffer.from(expected.subarray(0, size)))).toBe(0)
  })

  it('refuses a patch past what was written', async () => {
    const out = await OutputFile.create(join(dir, 'short.bin'))
    await out.write(new Uint8Array(10))
    await expect(out.patch(new Uint8Array(4), 8)).rejects.toMatchObject({ code: 'INTERNAL' })
    await out.close()
  })
})
