import { spawnSync } from 'node:child_process'
import { readFileSync, statSync, truncateSync, writeFileSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LayoutKindName } from '../../src/shared/drives'
import { generateBytes } from '../../src/main/jobs/tasks'
import { findMkfsExfat } from '../../src/main/disk/operations/exfat'
import { testEngine } from '../support/engine'
import { extractRegion } from '../support/image-region'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { run, sfdiskJson, sgdiskVerify } from './partition/peers'
import { clientOf, confirmAndWrite, resultOf, sha256Of, startWrite } from './support/drive-writes'

const MiB = 1024 * 1024
const GiB = 1024 * MiB
const missingPeers =
  missingTool('sgdisk', 'gdisk') || missingTool('sfdisk', 'fdisk') || missingTool('fsck.fat', 'dosfstools') || missingTool('mdir', 'mtools') || missingTool('wipefs', 'util-linux')

function fileId(path: string): string {
  return `file:${path}`
}

describe.skipIf(missingPeers)('drive writes on image files, checked by real tools', async () => {
  const dir = tempDir('imaging-drive-writes-')
  const engine = await testEngine()

  describe('partition', () => {
    const cases: Array<{ layout: LayoutKindName; size: number; partitions: number }> = [
      { layout: 'usb-uefi', size: 1 * GiB, partitions: 1 },
      { layout: 'usb-bios-uefi', size: 1 * GiB, partitions: 1 },
      { layout: 'uefi', size: 20 * GiB, partitions: 4 },
      { layout: 'bios', size: 20 * GiB, partitions: 3 },
    ]
    for (const { layout, size, partitions } of cases) {
      it(`${layout}: a table sgdisk and sfdisk accept, FAT32 that fsck.fat and mtools read, verified`, async () => {
        const image = join(dir, `${layout}.img`)
        const { prep, job } = await confirmAndWrite(engine, { target: fileId(image), operation: { kind: 'partition', layout }, createSizeBytes: size, verify: true })
        expect(prep.erases.summary[0]).toMatch(/A new image file is created/)
        const result = resultOf(job)
        expect(result.verified).toBe(true)
        expect(result.layout?.partitions).toHaveLength(partitions)
        expect(statSync(image).size).toBe(size)
        const table = sfdiskJson(image)
        expect(table.partitions).toHaveLength(partitions)
        if (table.label === 'gpt') expect(sgdiskVerify(image)).toContain('No problems found')
        for (const row of result.layout!.partitions.filter((p) => p.fileSystem === 'fat32')) {
          const volume = extractRegion(image, row.startBytes, row.sizeBytes, join(dir, `${layout}-p${row.index}.img`))
          expect(spawnSync('fsck.fat', ['-n', volume], { encoding: 'utf8' }).status).toBe(0)
          expect(run('mdir', ['-i', `${image}@@${row.startBytes}`, '::/'], undefined)).toMatch(row.role === 'data' ? /Volume in drive : is IMAGING/ : /has no label/)
        }
        expect(job.log.map((l) => l.message)).toContainEqual(expect.stringMatching(/Read back \d+ bytes: identical/))
      })
    }
  })

  describe('restore', () => {
    it('wipes a used stick back to one FAT32 partition with no stale signatures', async () => {
      const image = join(dir, 'restore-fat32.img')
      resultOf((await confirmAndWrite(engine, { target: fileId(image), operation: { kind: 'partition', layout: 'usb-uefi' }, createSizeBytes: 700 * MiB })).job)
      const { prep, job } = await confirmAndWrite(engine, { target: fileId(image), operation: { kind: 'restore', fileSystem: 'fat32', label: 'STICK' }, verify: true })
      expect(prep.erases.summary.join(' ')).toMatch(/GPT partition table with 1 partition: partition 1 "IMAGING" \(Basic data, 698\.0 MiB\)/)
      expect(resultOf(job).holds).toMatch(/one empty FAT32 partition "STICK"/)
      const table = sfdiskJson(image)
      expect(table.label).toBe('dos')
      expect(table.partitions).toEqual([expect.objectContaining({ start: 2048, type: 'c', bootable: true })])
      // Only the MBR remains: the old GPT copies at both ends are gone.
      expect(run('wipefs', ['--no-act', '--noheadings', '--output', 'TYPE', image]).trim().split('\n')).toEqual(['dos'])
      const volume = extractRegion(image, MiB, table.partitions[0]!.size * 512, join(dir, 'restored.img'))
      expect(spawnSync('fsck.fat', ['-n', volume], { encoding: 'utf8' }).status).toBe(0)
      expect(run('mdir', ['-i', `${image}@@${MiB}`, '::/'])).toMatch(/Volume in drive : is STICK/)
    })

    it.skipIf(missingTool('mkfs.exfat', 'exfatprogs'))('restores exFAT with mkfs.exfat, checked by fsck.exfat and blkid', async () => {
      const image = join(dir, 'restore-exfat.img')
      writeFileSync(image, Buffer.alloc(0))
      truncateSync(image, 2 * GiB)
      const { job } = await confirmAndWrite(engine, { target: fileId(image), operation: { kind: 'restore', fileSystem: 'exfat', label: 'Transfer' }, verify: true })
      expect(resultOf(job).verified).toBe(true)
      const table = sfdiskJson(image)
      expect(table.partitions).toEqual([expect.objectContaining({ start: 2048, type: '7' })])
      const volume = extractRegion(image, MiB, table.partitions[0]!.size * 512, join(dir, 'restored-exfat.img'))
      expect(spawnSync('fsck.exfat', ['-n', volume], { encoding: 'utf8' }).status).toBe(0)
      expect(run('blkid', ['-p', '-o', 'export', volume])).toMatch(/TYPE=exfat[\s\S]*LABEL=Transfer|LABEL=Transfer[\s\S]*TYPE=exfat/)
    })

    it('names the package when mkfs.exfat is missing', () => {
      expect(() => findMkfsExfat(() => null)).toThrow(expect.objectContaining({ code: 'TOOL_MISSING', message: expect.stringMatching(/install the exfatprogs package/) }))
    })
  })

  describe('write image', () => {
    const source = join(dir, 'source.img')
    beforeAll(() => {
      // A small partitioned disk image with data at its end, and an odd size (not whole sectors).
      writeFileSync(source, Buffer.alloc(0))
      truncateSync(source, 64 * MiB)
      run('sgdisk', ['-n', '1:2048:0', '-t', '1:8300', source])
      const data = generateBytes(5, 10 * MiB + 123)
      writeFileSync(source, data, { flag: 'a' })
    })

    it('copies a raw image onto an existing, larger image file: verified, same SHA-256, old backup GPT gone', async () => {
      const target = join(dir, 'target.img')
      resultOf((await confirmAndWrite(engine, { target: fileId(target), operation: { kind: 'partition', layout: 'usb-uefi' }, createSizeBytes: 300 * MiB })).job)
      const { prep, job } = await confirmAndWrite(engine, { target: fileId(target), operation: { kind: 'writeImage', image: source }, verify: true })
      expect(prep.outcome).toMatch(/An exact copy of source\.img \(raw image, 74\.0 MiB\); the rest of the drive is left unallocated/)
      const result = resultOf(job)
      const size = statSync(source).size
      expect(sha256Of(target, 0, size)).toBe(sha256Of(source))
      // The tail of the last sector is zeros, and the old backup GPT at the end is wiped.
      expect(readFileSync(target).subarray(size, Math.ceil(size / 512) * 512).every((b) => b === 0)).toBe(true)
      expect(readFileSync(target).subarray(300 * MiB - MiB).every((b) => b === 0)).toBe(true)
      expect(result.layout?.table).toBe('gpt')
    })

    it('creates a new image file of the image size', async () => {
      const target = join(dir, 'copy.img')
      const { job } = await confirmAndWrite(engine, { target: fileId(target), operation: { kind: 'writeImage', image: source } })
      expect(resultOf(job).verified).toBeNull()
      expect(statSync(target).size).toBe(Math.ceil(statSync(source).size / 512) * 512)
      expect(sha256Of(target, 0, statSync(source).size)).toBe(sha256Of(source))
    })

    it.skipIf(missingTool('xorriso', 'xorriso'))('takes a hybrid ISO and refuses one that would not boot from a stick', async () => {
      const tree = join(dir, 'iso-tree')
      mkdirSync(tree, { recursive: true })
      writeFileSync(join(tree, 'README.TXT'), 'hello')
      const plain = join(dir, 'plain.iso')
      const hybrid = join(dir, 'hybrid.iso')
      run('xorriso', ['-as', 'mkisofs', '-quiet', '-o', plain, tree])
      run('xorriso', ['-as', 'mkisofs', '-quiet', '--protective-msdos-label', '-o', hybrid, tree])
      const client = clientOf(engine)
      await expect(client.api.drives.prepareWrite({ target: fileId(join(dir, 'iso-target.img')), operation: { kind: 'writeImage', image: plain } })).rejects.toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringMatching(/without a hybrid MBR.*would not boot/) }),
      )
      const { prep, job } = await confirmAndWrite(engine, { target: fileId(join(dir, 'iso-target.img')), operation: { kind: 'writeImage', image: hybrid }, verify: true })
      expect(prep.outcome).toMatch(/hybrid ISO/)
      expect(resultOf(job).verified).toBe(true)
      expect(sha256Of(join(dir, 'iso-target.img'), 0, statSync(hybrid).size)).toBe(sha256Of(hybrid))
    })

    it('refuses an image larger than the target, and an image written onto itself', async () => {
      const client = clientOf(engine)
      const small = join(dir, 'small.img')
      writeFileSync(small, Buffer.alloc(MiB))
      await expect(client.api.drives.prepareWrite({ target: fileId(small), operation: { kind: 'writeImage', image: source } })).rejects.toThrow(/does not fit on a 1\.0 MiB target/)
      await expect(client.api.drives.prepareWrite({ target: fileId(source), operation: { kind: 'writeImage', image: source } })).rejects.toThrow(/cannot be written onto itself/)
    })
  })

  describe('confirmation', () => {
    const target = join(dir, 'guarded.img')
    beforeAll(() => {
      writeFileSync(target, Buffer.alloc(0))
      truncateSync(target, 400 * MiB)
    })
    const restore = { target: fileId(target), operation: { kind: 'restore' as const, fileSystem: 'fat32' as const } }

    it('refuses a write without a token from prepareWrite, and a token used twice', async () => {
      const client = clientOf(engine)
      await expect(startWrite(client, restore, { token: 'x'.repeat(32) })).rejects.toThrow(expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/unknown or has expired/) }))
      const prep = await client.api.drives.prepareWrite(restore)
      await engine.jobs.wait((await startWrite(client, restore, { token: prep.token })).id)
      await expect(startWrite(client, restore, { token: prep.token })).rejects.toThrow(/unknown or has expired/)
    })

    it('refuses a token given for another operation, label or target', async () => {
      const client = clientOf(engine)
      for (const other of [
        { ...restore, operation: { kind: 'partition' as const, layout: 'usb-uefi' as const } },
        { ...restore, operation: { ...restore.operation, label: 'OTHER' } },
        { ...restore, target: fileId(join(dir, 'other.img')) },
        { ...restore, verify: true },
      ]) {
        const prep = await client.api.drives.prepareWrite(restore)
        await expect(startWrite(client, other, { token: prep.token })).rejects.toThrow(expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/given for another drive or operation/) }))
      }
    })

    it('refuses an image file that changed between confirmation and write, writing nothing', async () => {
      const client = clientOf(engine)
      const prep = await client.api.drives.prepareWrite(restore)
      truncateSync(target, 500 * MiB)
      const before = sha256Of(target)
      await expect(startWrite(client, restore, { token: prep.token })).rejects.toThrow(
        expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/is not the drive you confirmed \(size was 400\.0 MiB \(419430400 bytes\), now 500\.0 MiB/) }),
      )
      expect(sha256Of(target)).toBe(before)
    })
  })

  describe('cancel', () => {
    it('leaves a clear state: no partition table, and the log says the drive needs restoring', async () => {
      const source = join(dir, 'big-source.img')
      writeFileSync(source, Buffer.alloc(0))
      truncateSync(source, 3 * GiB)
      run('sgdisk', ['-n', '1:2048:0', source])
      const target = join(dir, 'cancel-target.img')
      resultOf((await confirmAndWrite(engine, { target: fileId(target), operation: { kind: 'partition', layout: 'usb-bios-uefi' }, createSizeBytes: 3 * GiB })).job)
      const client = clientOf(engine)
      const call = { target: fileId(target), operation: { kind: 'writeImage' as const, image: source } }
      const prep = await client.api.drives.prepareWrite(call)
      const cancelled = new Promise<void>((resolve) => {
        const stop = client.subscribe((event) => {
          if (event.type === 'job' && event.job.phase === 'write' && event.job.bytesDone > 64 * MiB) {
            stop()
            void client.api.jobs.cancel({ id: event.job.id }).then(() => resolve())
          }
        })
      })
      const job = await startWrite(client, call, { token: prep.token })
      await cancelled
      const done = await engine.jobs.wait(job.id)
      expect(done.state).toBe('cancelled')
      const log = engine.jobs.get(job.id).log.map((l) => l.message)
      expect(log).toContainEqual(expect.stringMatching(/now holds a partial write \(\d+ bytes\) and no valid partition table: it is not usable until restored/))
      expect(spawnSync('sfdisk', ['--json', target], { encoding: 'utf8' }).status).not.toBe(0)
      expect(existsSync(target)).toBe(true)
    })
  })

  describe('layout', () => {
    it('reads a table as JSON-safe rows, and says clearly where a table is corrupt', async () => {
      const client = clientOf(engine)
      const image = join(dir, 'layout.img')
      writeFileSync(image, Buffer.alloc(0))
      truncateSync(image, 64 * MiB)
      run('sgdisk', ['-n', '1:2048:+8M', '-t', '1:ef00', '-c', '1:EFI', '-n', '2:0:0', '-t', '2:0700', '-A', '2:set:63', image])
      const report = await client.api.drives.layout({ target: fileId(image) })
      expect(JSON.parse(JSON.stringify(report))).toEqual(report)
      expect(report).toMatchObject({ table: 'gpt', sectorSize: 512, warnings: [] })
      expect(report.partitions.map((p) => [p.index, p.name, p.typeLabel, p.startBytes, p.flags])).toEqual([
        [1, 'EFI', 'EFI System', MiB, []],
        [2, '', 'Basic data', 9 * MiB, ['no drive letter']],
      ])
      // Damage the primary header: the backup is used, with a warning.
      const bytes = readFileSync(image)
      bytes[512 + 40] ^= 0xff
      writeFileSync(image, bytes)
      const damaged = await client.api.drives.layout({ target: fileId(image) })
      expect(damaged.partitions).toHaveLength(2)
      expect(damaged.warnings[0]).toMatch(/read from the backup copy/)
      // Both copies gone: an error naming the file, structure and offset.
      bytes.fill(0, bytes.length - 33 * 512)
      writeFileSync(image, bytes)
      await expect(client.api.drives.layout({ target: fileId(image) })).rejects.toThrow(expect.objectContaining({ code: 'CORRUPT', details: expect.objectContaining({ path: image, structure: expect.any(String), offset: expect.any(Number) }) }))
      expect((await client.api.drives.layout({ target: fileId(join(dir, 'restore-exfat.img')) })).table).toBe(existsSync(join(dir, 'restore-exfat.img')) ? 'mbr' : null)
    })
  })
})
