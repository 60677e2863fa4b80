import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTarget } from '../../src/main/disk/byte-target'
import { tempDir } from '../support/temp'

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
})
