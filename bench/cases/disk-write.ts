/**
 * Writing a drive: a 2 GiB disk image (a usb-uefi layout whose FAT32 volume is filled with
 * generated files) copied onto a fresh image file by `imaging disk write`, the drive-write job
 * over our raw-write path (old tables wiped, 1 MiB blocks written past the page cache a few at
 * a time and flushed behind, first MiB last; no read-back, the default for image files),
 * against `dd bs=4M conv=fsync` of the same bytes.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { FileTarget } from '../../src/main/disk/byte-target'
import { planFor, writeLayout } from '../../src/main/disk/operations/partition-drive'
import type { FatSourceEntry } from '../../src/main/fs/fat32'
import { generateBytes } from '../../src/main/jobs/tasks'
import { runTool } from '../../src/main/platform/run-tool'
import { which } from '../../src/main/platform/which'
import { bestOf, cliCommand, type Benchmark } from '../harness'

const IMAGE_BYTES = 2 * 1024 ** 3
const FILE_BYTES = 32 * 1024 ** 2
const FILES = 60
/** Runs take seconds and the machine is shared: enough rounds for a few quiet moments per side. */
const ROUNDS = 7

/** What a job context would collect; the benchmark only needs the writes. */
const silent = { signal: new AbortController().signal, phase: () => undefined, setTotal: () => undefined, advance: () => undefined, log: () => undefined }

async function generateSource(path: string): Promise<void> {
  const pool = generateBytes(11, 8 * 1024 * 1024)
  const entries: FatSourceEntry[] = Array.from({ length: FILES }, (_, i) => ({
    path: `sources/part${String(i).padStart(2, '0')}.bin`,
    kind: 'file',
    size: FILE_BYTES,
    open: function* () {
      for (let done = 0; done < FILE_BYTES; done += pool.length / 2) yield pool.subarray((i * 4096) % (pool.length / 2), (i * 4096) % (pool.length / 2) + pool.length / 2)
    },
  }))
  const target = await FileTarget.create(path, IMAGE_BYTES)
  try {
    await writeLayout(target, planFor(target, 'usb-uefi', undefined), silent, { label: 'BENCH', entries })
  } finally {
    await target.close()
  }
}

export const diskWriteBenchmark: Benchmark = {
  name: 'disk-write',
  needs: [{ command: 'dd', debianPackage: 'coreutils' }],
  async run(ctx) {
    const source = join(ctx.workDir, 'source.img')
    ctx.log(`generating a ${IMAGE_BYTES} byte usb-uefi image with ${FILES} files`)
    await generateSource(source)
    const target = (side: 'ours' | 'reference') => join(ctx.workDir, `${side}.img`)
    const remove = (side: 'ours' | 'reference') => async () => rmSync(target(side), { force: true })
    const best = await bestOf(ctx, ROUNDS, {
      ours: {
        label: 'imaging disk write (wipe, 1 MiB direct writes flushed behind, head last)',
        ...cliCommand(['disk', 'write', source, target('ours'), '--yes']),
        env: { ...process.env, IMAGING_DATA_DIR: join(ctx.workDir, 'state') },
        before: remove('ours'),
      },
      reference: { label: 'dd bs=4M conv=fsync', command: which('dd')!, args: [`if=${source}`, `of=${target('reference')}`, 'bs=4M', 'conv=fsync', 'status=none'], before: remove('reference') },
    })
    const same = await runTool('cmp', [target('ours'), target('reference')], { timeoutMs: 120_000 })
    if (same.exitCode !== 0) throw new Error(`our copy differs from dd's: ${same.stdout}${same.stderr}`)
    return [{ name: `2 GiB disk image onto a new image file, best of ${ROUNDS}`, ...best, maxTimeRatio: 1.1 }]
  },
}
