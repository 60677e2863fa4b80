import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, truncateSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeviceTarget } from '../../src/main/disk/device/device-target'
import { identify } from '../../src/main/disk/identity'
import { linuxDrive } from '../../src/main/disk/linux-block-device'
import { listDisks } from '../../src/main/disk/list-disks'
import { testEngine } from '../support/engine'
import { tempDir } from '../support/temp'
import { missingTool } from '../support/tools'
import { isRoot, run, sfdiskJson } from './partition/peers'
import { clientOf, confirmAndWrite, resultOf, sha256Of, startWrite } from './support/drive-writes'
import { loopDevice } from './support/loop-device'

const MiB = 1024 * 1024
const notRoot = !isRoot()
if (notRoot) console.warn('skipping the block-device tests: they need root (loop devices, mount)')

describe.skipIf(notRoot || missingTool('losetup', 'mount') || missingTool('mkfs.ext4', 'e2fsprogs') || missingTool('fsck.fat', 'dosfstools'))('writing a real block device (a loop device)', async () => {
  const dir = tempDir('imaging-loop-')
  const device = loopDevice(join(dir, 'stick.img'), 300 * MiB)
  const engine = await testEngine({ drives: { enumerate: async () => [...(await listDisks()), linuxDrive(device)] } })

  it('refuses the system disk without touching it', async () => {
    const system = (await listDisks()).find((d) => d.isSystem)
    expect(system, 'this machine runs from a listed disk').toBeDefined()
    await expect(clientOf(engine).api.drives.prepareWrite({ target: system!.id, operation: { kind: 'restore', fileSystem: 'fat32' } })).rejects.toThrow(
      expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/is the disk this computer runs from \(mounted at \/\): it is never written/) }),
    )
    // The device layer refuses it on its own too, whatever a caller confirmed.
    await expect(DeviceTarget.open(identify(system!)!)).rejects.toThrow(expect.objectContaining({ code: 'UNSAFE_TARGET' }))
    expect(engine.jobs.list()).toEqual([])
  })

  it('unmounts what is mounted, needs the typed name of a fixed disk, writes, flushes and verifies', async () => {
    run('sfdisk', [device], 'label: dos\n1M,,83\n')
    run('partx', ['--update', device])
    run('mkfs.ext4', ['-q', `${device}p1`])
    const mountpoint = join(dir, 'mnt')
    mkdirSync(mountpoint)
    run('mount', [`${device}p1`, mountpoint])
    const call = { target: device, operation: { kind: 'restore' as const, fileSystem: 'fat32' as const, label: 'LOOPTEST' } }
    const client = clientOf(engine)
    const prep = await client.api.drives.prepareWrite(call)
    expect(prep.typedConfirmation).toBe(basename(device))
    expect(prep.verify).toBe(true)
    expect(prep.erases.summary.join(' ')).toMatch(/MBR partition table with 1 partition: partition 1 \(Linux, 299\.0 MiB\)/)
    await expect(startWrite(client, call, { token: prep.token })).rejects.toThrow(expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/type its name/) }))
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toContain(mountpoint)

    const { job } = await confirmAndWrite(engine, call, basename(device))
    const result = resultOf(job)
    const log = job.log.map((l) => l.message)
    expect(log).toContainEqual(`Unmounting ${device}p1 from ${mountpoint}`)
    expect(log).toContainEqual(`Opened ${device} for writing, exclusively, with direct writes past the page cache`)
    expect(result.verified).toBe(true)
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(mountpoint)
    expect(sfdiskJson(device).partitions).toEqual([expect.objectContaining({ node: `${device}p1`, type: 'c' })])
    // The kernel re-read the new table: the partition node is the new FAT32 volume.
    expect(spawnSync('fsck.fat', ['-n', `${device}p1`], { encoding: 'utf8' }).status).toBe(0)
    expect(run('blkid', ['-p', '-o', 'export', `${device}p1`])).toMatch(/LABEL=LOOPTEST/)
  })

  it('opens the device exclusively: a second writer is refused while the first holds it', async () => {
    const first = await DeviceTarget.open(identify(linuxDrive(device))!)
    try {
      await expect(DeviceTarget.open(identify(linuxDrive(device))!)).rejects.toThrow(expect.objectContaining({ code: 'IO', message: expect.stringMatching(/is in use by another program/) }))
    } finally {
      await first.close()
    }
  })

  it('refuses the write when the device changed after it was confirmed (another medium, same name)', async () => {
    const client = clientOf(engine)
    const call = { target: device, operation: { kind: 'partition' as const, layout: 'usb-uefi' as const } }
    const prep = await client.api.drives.prepareWrite(call)
    const before = sha256Of(device, 0, MiB)
    truncateSync(join(dir, 'stick.img'), 400 * MiB)
    run('losetup', ['--set-capacity', device])
    await expect(startWrite(client, call, { token: prep.token, typed: basename(device) })).rejects.toThrow(
      expect.objectContaining({ code: 'UNSAFE_TARGET', message: expect.stringMatching(/is not the drive you confirmed \(size was 300\.0 MiB .*now 400\.0 MiB/) }),
    )
    expect(sha256Of(device, 0, MiB)).toBe(before)
  })
})
