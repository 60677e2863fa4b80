import { execFile } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseSize, targetId } from '../../src/cli/commands/disk'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { sfdiskJson } from './partition/peers'

const exec = promisify(execFile)
const root = join(__dirname, '..', '..')
const dataDir = tempDir('imaging-cli-data-')

async function imaging(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', join(root, 'src/cli/index.ts'), ...args], { cwd: root, env: { ...process.env, IMAGING_DATA_DIR: dataDir } })
    return { stdout, stderr, code: 0 }
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number }
    return { stdout: e.stdout, stderr: e.stderr, code: e.code }
  }
}

describe('imaging disk arguments', () => {
  it('reads sizes as dd and truncate do, and tells disks from image files', () => {
    expect(parseSize('8G')).toBe(8 * 2 ** 30)
    expect(parseSize('512M')).toBe(512 * 2 ** 20)
    expect(parseSize('1.5GiB')).toBe(1.5 * 2 ** 30)
    expect(parseSize('4096')).toBe(4096)
    expect(() => parseSize('lots')).toThrow(/expected a size like 8G/)
    expect(targetId('/dev/sdb')).toBe('/dev/sdb')
    expect(targetId('\\\\.\\PhysicalDrive1')).toBe('\\\\.\\PhysicalDrive1')
    expect(targetId('/tmp/x.img')).toBe('file:/tmp/x.img')
  })
})

describe.skipIf(missingTool('sfdisk', 'fdisk'))('imaging disk on image files', () => {
  const dir = tempDir('imaging-cli-disk-')

  it('refuses without --yes, after saying what would be erased, and writes nothing', async () => {
    const image = join(dir, 'refused.img')
    const result = await imaging('disk', 'partition', image, '--layout', 'usb-uefi', '--size', '300M')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/A new image file is created at .*refused\.img/)
    expect(result.stderr).toMatch(/Refusing to erase image file .* without --yes/)
    expect(existsSync(image)).toBe(false)
  })

  it('partitions, restores and writes with --yes, printing JSON results and layouts', async () => {
    const image = join(dir, 'stick.img')
    const partitioned = await imaging('disk', 'partition', image, '--layout', 'usb-bios-uefi', '--size', '300M', '--yes', '--json')
    expect(partitioned.code, partitioned.stderr).toBe(0)
    expect(JSON.parse(partitioned.stdout)).toMatchObject({ operation: 'partition', verified: null, layout: { table: 'mbr', partitions: [{ typeLabel: 'FAT32 (LBA)', flags: ['active'] }] } })
    expect(statSync(image).size).toBe(300 * 2 ** 20)

    const layout = await imaging('disk', 'layout', image)
    expect(layout.stdout).toMatch(/300\.0 MiB, 512-byte sectors, MBR [0-9A-F]{8}/)
    expect(JSON.parse((await imaging('disk', 'layout', image, '--json')).stdout).partitions).toHaveLength(1)

    const restored = await imaging('disk', 'restore', image, '--label', 'CLI', '--verify', '--yes')
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.stdout).toMatch(/now holds one empty FAT32 partition "CLI"[\s\S]*Verified: everything written read back identical/)

    const copy = join(dir, 'copy.img')
    const written = await imaging('disk', 'write', image, copy, '--yes', '--json')
    expect(written.code, written.stderr).toBe(0)
    expect(JSON.parse(written.stdout)).toMatchObject({ operation: 'writeImage', holds: 'an exact copy of stick.img' })
    expect(sfdiskJson(copy).partitions).toHaveLength(1)
  })
})
