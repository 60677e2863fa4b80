/**
 * Making installation media: a generated Windows-like ISO of about 2 GiB (see media-iso.ts)
 * made into a new image file by `imaging media iso`, the real media builder run as a
 * technician runs it: the ISO opened with our UDF reader, install.wim inspected through the
 * WIM engine, a GPT and a FAT32 volume written with every file in one streamed pass, flushed,
 * and (by default, as the product does) every file read back through the FAT32 reader and
 * checked. Measured with verification on and off, against
 *   - `cp` of the ISO's bytes to a new file and `sync` of that file: the reference the issue
 *     names for reading this much and making it durable;
 *   - `dd` of the ISO with direct writes (past the page cache, as ours are): cp's in-kernel
 *     copy is not always the fastest way (on our 2-core VM it spent up to 7 s of system time
 *     on 2 GiB), so this shows what the disk itself takes;
 *   - the same `cp` and `sync`, then the copy read back past the page cache (`dd
 *     iflag=direct`) and compared with the ISO (`cmp`): the same work as a verified medium,
 *     done with standard tools. A read-back check reads the whole medium once more, so on a disk
 *     whose reads and writes share its bandwidth (as here, and as the ISO and the image file
 *     do when they are on the same disk) no verified medium can be within 1.3x of bare cp:
 *     the target for the verified medium is against this side; bare cp is shown beside it;
 *   - the conventional Linux way: `mkfs.fat -F 32` of an image file of the same size and
 *     `mcopy -s` of the extracted tree onto it, then `sync` (no partition table, no check).
 * Every side starts with the page cache empty when the system allows it, so each reads its
 * input from disk. Our medium is written and read back past the page cache where the file
 * system allows it (Linux O_DIRECT), so the check reads what the disk holds; the source
 * files it compares with come from the page cache, as `cmp`'s would.
 */
import { spawnSync } from 'node:child_process'
import { rmSync, statSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { formatBytes } from '../../src/shared/format'
import { runTool } from '../../src/main/platform/run-tool'
import { which } from '../../src/main/platform/which'
import { cliCommand, dropCaches, fastest, measure, medianSeconds, type BenchContext, type Benchmark, type BenchRow, type Measurement } from '../harness'
import { buildMediaTree, makeMediaIso } from './media-iso'

const ROUNDS = 5
const MAX_RATIO_TO_CP = 1.3
/** Where the data partition of a usb-uefi medium starts. */
const DATA_PARTITION_OFFSET = 1024 * 1024
const TOOL_TIMEOUT_MS = 10 * 60_000

/**
 * cp and sync, then the copy read back with dd flags $3 (past the page cache where the file
 * system allows, as our check reads the medium) and compared with the ISO, which cmp reads
 * from the page cache (as our check reads its sources).
 */
const CHECKED_COPY = 'cp "$1" "$2" && sync "$2" && dd if="$2" bs=4M status=none "$3" | cmp - "$1"'

type Side = 'verified' | 'unverified' | 'cp' | 'dd' | 'checked' | 'mcopy'

export const mediaBenchmark: Benchmark = {
  name: 'media',
  needs: [
    { command: 'wimlib-imagex', debianPackage: 'wimtools' },
    { command: 'genisoimage', debianPackage: 'genisoimage' },
    { command: 'mkfs.fat', debianPackage: 'dosfstools' },
    { command: 'fsck.fat', debianPackage: 'dosfstools' },
    { command: 'mcopy', debianPackage: 'mtools' },
    { command: 'cp', debianPackage: 'coreutils' },
    { command: 'dd', debianPackage: 'coreutils' },
    { command: 'cmp', debianPackage: 'diffutils' },
  ],
  async run(ctx) {
    const tree = join(ctx.workDir, 'tree')
    const iso = join(ctx.workDir, 'windows.iso')
    ctx.log('generating a Windows-like tree (install.wim by wimlib-imagex, no compression) and its UDF ISO (genisoimage)')
    await buildMediaTree(tree, join(ctx.workDir, 'capture'))
    await rm(join(ctx.workDir, 'capture'), { recursive: true, force: true })
    await makeMediaIso(tree, iso)
    ctx.log(`ISO: ${formatBytes(statSync(iso).size)}`)

    const output = (side: Side) => join(ctx.workDir, `${side}.img`)
    const direct = supportsDirectIo(ctx.workDir)
    const env = { ...process.env, IMAGING_DATA_DIR: join(ctx.workDir, 'state') }
    const ours = (side: 'verified' | 'unverified') => {
      const { command, args } = cliCommand(['media', 'iso', iso, '--target', output(side), '--yes', ...(side === 'unverified' ? ['--no-verify'] : [])])
      return () => measure(`imaging media iso, ${side === 'verified' ? 'verified (the default)' : '--no-verify'}`, command, args, { env })
    }
    const sides: Record<Side, () => Promise<Measurement>> = {
      verified: ours('verified'),
      unverified: ours('unverified'),
      cp: () => measure('cp of the ISO + sync', 'sh', ['-c', 'cp "$1" "$2" && sync "$2"', 'sh', iso, output('cp')]),
      dd: () => measure('dd of the ISO, direct writes', 'dd', [`if=${iso}`, `of=${output('dd')}`, 'bs=1M', direct ? 'oflag=direct' : 'conv=fsync', 'status=none']),
      checked: () => measure('cp of the ISO + sync + read back and cmp', 'sh', ['-c', CHECKED_COPY, 'sh', iso, output('checked'), direct ? 'iflag=direct' : 'iflag=fullblock']),
      // Sized like our image (the first round measures ours first).
      mcopy: () => {
        const script = `truncate -s "$5" "$1" && "$3" -F 32 -S 512 -s 8 -n CCCOMA_X64F "$1" >/dev/null && "$4" -s -m -i "$1" "$2"/* ::/ && sync "$1"`
        const args = ['-c', script, 'sh', output('mcopy'), tree, which('mkfs.fat')!, which('mcopy')!, String(statSync(output('verified')).size)]
        return measure('mkfs.fat + mcopy -s of the tree + sync', 'sh', args, { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } })
      },
    }
    const all = new Map<Side, Measurement[]>()
    let cold = true
    const entries = Object.entries(sides) as Array<[Side, () => Promise<Measurement>]>
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round starts with the next side, so none always runs right after the same other.
      const order = [...entries.slice((round - 1) % entries.length), ...entries.slice(0, (round - 1) % entries.length)]
      for (const [side, run] of order) {
        await rm(output(side), { force: true })
        cold = (await dropCaches()) && cold
        const measured = await run()
        ctx.log(`round ${round}: ${measured.label}: ${measured.seconds.toFixed(2)} s`)
        all.set(side, [...(all.get(side) ?? []), measured])
      }
    }
    const best = (side: Side) => fastest(all.get(side)!)
    const medianRatio = (ours: Side, reference: Side) => `${ours} / ${reference} ${(medianSeconds(all.get(ours)!) / medianSeconds(all.get(reference)!)).toFixed(2)}`
    ctx.log(`medians: ${medianRatio('unverified', 'cp')}, ${medianRatio('verified', 'checked')}, ${medianRatio('verified', 'cp')}, ${medianRatio('unverified', 'dd')}`)
    ctx.log(cold ? 'the page cache was emptied before every run: each side read its input from disk' : 'the page cache could not be emptied (not permitted here): inputs came from memory')
    await check(ctx, output('verified'), tree)
    const name = (what: string, reference: string) => `${what} from a ${formatBytes(statSync(iso).size)} ISO vs ${reference}, best of ${ROUNDS}`
    const rows: BenchRow[] = [
      { name: name('Media, not verified', 'cp'), ours: best('unverified'), reference: best('cp'), maxTimeRatio: MAX_RATIO_TO_CP },
      { name: name('Media, verified', 'cp + read-back cmp'), ours: best('verified'), reference: best('checked'), maxTimeRatio: MAX_RATIO_TO_CP },
      { name: name('Media, verified', 'cp'), ours: best('verified'), reference: best('cp') },
      { name: name('Media, not verified', 'dd with direct writes'), ours: best('unverified'), reference: best('dd') },
      { name: name('Media, verified', 'mkfs.fat + mcopy'), ours: best('verified'), reference: best('mcopy') },
      { name: name('Media, not verified', 'mkfs.fat + mcopy'), ours: best('unverified'), reference: best('mcopy') },
    ]
    return rows
  },
}

/** Whether the file system of `dir` takes reads and writes past the page cache (tmpfs does not). */
function supportsDirectIo(dir: string): boolean {
  const probe = join(dir, 'direct-probe')
  const result = spawnSync('dd', ['if=/dev/zero', `of=${probe}`, 'bs=4096', 'count=1', 'oflag=direct', 'status=none'])
  rmSync(probe, { force: true })
  return result.status === 0
}

/** Our medium, checked by other tools: fsck.fat finds nothing, and mtools copies out exactly the tree. */
async function check(ctx: BenchContext, image: string, tree: string): Promise<void> {
  const volume = `${image}.volume`
  const extract = await runTool('dd', [`if=${image}`, `of=${volume}`, 'bs=4M', `skip=${DATA_PARTITION_OFFSET}`, 'iflag=skip_bytes', 'status=none'], { timeoutMs: TOOL_TIMEOUT_MS })
  if (extract.exitCode !== 0) throw new Error(`could not extract the volume: ${extract.stderr}`)
  const fsck = await runTool(which('fsck.fat')!, ['-n', volume], { timeoutMs: TOOL_TIMEOUT_MS })
  ctx.log(`fsck.fat -n: exit ${fsck.exitCode}, ${fsck.stdout.trim().split('\n').at(-1)}`)
  if (fsck.exitCode !== 0) throw new Error(`fsck.fat found problems in ${image}:\n${fsck.stdout}`)
  const copied = `${image}.files`
  await mkdir(copied)
  const copy = await runTool(which('mcopy')!, ['-s', '-n', '-m', '-i', volume, '::/*', copied], { timeoutMs: TOOL_TIMEOUT_MS, env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } })
  if (copy.exitCode !== 0) throw new Error(`mcopy could not copy the files out: ${copy.stderr}`)
  const diff = await runTool('diff', ['-r', tree, copied], { timeoutMs: TOOL_TIMEOUT_MS })
  if (diff.exitCode !== 0) throw new Error(`the medium does not hold the ISO's files: ${diff.stdout}${diff.stderr}`)
  ctx.log('mcopy -s copies out exactly the ISO tree')
  await Promise.all([rm(volume, { force: true }), rm(copied, { recursive: true, force: true })])
}
