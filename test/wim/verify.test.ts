import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/main/jobs/worker-pool'
import { WimArchive } from '../../src/main/wim/archive'
import { verifyWim } from '../../src/main/wim/verify'
import { quietContext } from '../support/context'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { buildSampleTree, textBytes, wimlibCapture } from '../support/wim-fixtures'

const pool = new WorkerPool({ size: 2 })
afterAll(() => pool.close())

async function verify(path: string): Promise<Awaited<ReturnType<typeof verifyWim>>> {
  const archive = await WimArchive.open(path)
  try {
    return await verifyWim(archive, pool, quietContext())
  } finally {
    await archive.close()
  }
}

/** Flips one byte inside the first occurrence of `needle` in the file. */
function flipInside(path: string, needle: Uint8Array): void {
  const bytes = readFileSync(path)
  const at = bytes.indexOf(needle)
  if (at < 0) throw new Error('needle not found')
  bytes[at + 10] = bytes[at + 10]! ^ 0xff
  writeFileSync(path, bytes)
}

describe.skipIf(missingTool('wimlib-imagex', 'wimtools'))('verify', () => {
  const dir = tempDir()
  const source = join(dir, 'tree')
  const wim = join(dir, 'checked.wim')
  beforeAll(() => {
    buildSampleTree(source)
    wimlibCapture(source, wim, { compress: 'none', integrity: true })
  })

  it('passes a good WIM, checking its integrity table and every blob', async () => {
    const report = await verify(wim)
    expect(report).toMatchObject({ integrityTable: 'ok', integrityFailures: [], failures: [] })
    expect(report.blobs).toBeGreaterThan(10)
  })

  it('names the damaged blob and the failing integrity chunk', async () => {
    const damaged = join(dir, 'damaged.wim')
    copyFileSync(wim, damaged)
    flipInside(damaged, textBytes(5, 64))
    const report = await verify(damaged)
    expect(report.integrityTable).toBe('mismatch')
    expect(report.integrityFailures).toEqual([0])
    expect(report.failures).toHaveLength(1)
    expect(report.failures[0]!.problem).toMatch(/SHA-1/)
  })
})
