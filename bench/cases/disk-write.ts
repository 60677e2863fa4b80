/**
 * Writing a drive: a 2 GiB disk image (a usb-uefi layout whose FAT32 volume is filled with
 * generated files) copied onto a fresh image file by our raw-write path (old tables wiped,
 * 4 MiB blocks, first MiB last, flushed) against `dd bs=4M conv=fsync` of the same bytes.
 * Run as a script, this file is our side: `disk-write.ts write <source> <target>`.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { FileTarget } from '../../src/main/disk/byte-target'
import { planFor, writeLayout } from '../../src/main/disk/operations/partition-drive'
import { writeImage } from '../../src/main/disk/operations/write-image'
import type { FatSourceEntry } from '../../src/main/fs/fat32'
import { FileReader } from '../../src/main/io/random-access'
import { generateBytes } from '../../src/main/jobs/tasks'
import { runTool } from '../../src/main/platform/run-tool'
import { which } from '../../src/main/platform/which'
import { measure, oursCommand, type Benchmark, type Measurement } from '../harness'

const IMAGE_BYTES = 2 * 1024 ** 3
const FILE_BYTES = 32 * 1024 ** 2
const FILES = 60
const ROUNDS = 3

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
    const target = (side: string) => join(ctx.workDir, `${side}.img`)
    const { command, args } = oursCommand('bench/cases/disk-write.ts', ['write', source, target('ours')])
    const sides: Record<'ours' | 'reference', () => Promise<Measurement>> = {
      ours: () => measure('writeImage (wipe, 4 MiB blocks, head last, fsync)', command, args),
      reference: () => measure('dd bs=4M conv=fsync', which('dd')!, [`if=${source}`, `of=${target('reference')}`, 'bs=4M', 'conv=fsync', 'status=none']),
    }
    const best = new Map<string, Measurement>()
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [side, run] of Object.entries(sides)) {
        rmSync(target(side), { force: true })
        await runTool('sync', [], { timeoutMs: 120_000 })
        const measured = await run()
        ctx.log(`round ${round}: ${measured.label}: ${measured.seconds.toFixed(2)} s`)
        if (measured.seconds < (best.get(side)?.seconds ?? Infinity)) best.set(side, measured)
      }
    }
    const same = await runTool('cmp', [target('ours'), target('reference')], { timeoutMs: 120_000 })
    if (same.exitCode !== 0) throw new Error(`our copy differs from dd's: ${same.stdout}${same.stderr}`)
    return [{ name: `2 GiB disk image onto a new image file, best of ${ROUNDS}`, ours: best.get('ours')!, reference: best.get('reference')!, maxTimeRatio: 1.1 }]
  },
}

async function write(source: string, targetPath: string): Promise<void> {
  const image = await FileReader.open(source)
  const target = await FileTarget.create(targetPath, image.size)
  try {
    await writeImage(target, image, silent)
  } finally {
    await target.close()
    await image.close()
  }
}

if (require.main === module && process.argv[2] === 'write') {
  write(process.argv[3]!, process.argv[4]!).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
    process.exit(1)
  })
}
