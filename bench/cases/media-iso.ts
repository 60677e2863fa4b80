/**
 * The source of the media benchmark: a Windows-like installation tree of about 2 GiB (boot
 * files, a few hundred small files, a boot.wim, and one large install.wim captured by
 * wimlib-imagex without compression from generated incompressible files, under FAT32's 4 GiB
 * so it is copied as it is), and the UDF bridge ISO genisoimage makes of it, as Microsoft's are.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateBytes } from '../../src/main/jobs/tasks'
import { runTool } from '../../src/main/platform/run-tool'
import { which } from '../../src/main/platform/which'

const MiB = 1024 * 1024
const INSTALL_FILES = 60
const INSTALL_FILE_BYTES = 32 * MiB
const BOOT_WIM_BYTES = 48 * MiB
const SMALL_FILES = 400
const TOOL_TIMEOUT_MS = 10 * 60_000

/** Unique, incompressible file contents from one pool: slices at offsets drawn from a seeded generator. */
class Contents {
  private readonly pool = generateBytes(0x5eed, 16 * MiB)
  private seed = 0x2545f491

  next(size: number): Uint8Array {
    const out = new Uint8Array(size)
    for (let done = 0; done < size; ) {
      const start = this.random() % (this.pool.length / 2)
      const n = Math.min(size - done, MiB)
      out.set(this.pool.subarray(start, start + n), done)
      done += n
    }
    return out
  }

  random(): number {
    this.seed ^= this.seed << 13
    this.seed ^= this.seed >>> 17
    this.seed ^= this.seed << 5
    return this.seed >>> 0
  }
}

async function wimCapture(source: string, wim: string, name: string, extra: string[] = []): Promise<void> {
  const result = await runTool(which('wimlib-imagex')!, ['capture', source, wim, name, '--compress=none', ...extra], { timeoutMs: TOOL_TIMEOUT_MS })
  if (result.exitCode !== 0) throw new Error(`wimlib-imagex capture ${source} failed: ${result.stderr}`)
}

/** The tree as it sits on the ISO, under `root`; `work` holds what the WIM files are captured from. */
export async function buildMediaTree(root: string, work: string): Promise<void> {
  const contents = new Contents()
  const file = (path: string, size: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), contents.next(size))
  }
  file('bootmgr', 400_000)
  file('bootmgr.efi', 1_500_000)
  file('setup.exe', 100_000)
  file('autorun.inf', 128)
  file('boot/bcd', 16_384)
  file('boot/boot.sdi', 3_170_304)
  file('efi/boot/bootx64.efi', 2_000_000)
  file('efi/microsoft/boot/bcd', 16_384)
  for (let i = 0; i < 12; i++) file(`boot/fonts/font${i}.ttf`, 50_000 + (contents.random() % 3_000_000))
  for (let i = 0; i < SMALL_FILES; i++) {
    const folder = i % 4 === 0 ? 'sources/en-us' : i % 4 === 1 ? 'support/logging' : 'sources'
    file(`${folder}/component${String(i).padStart(3, '0')}.dll`, 1_000 + (contents.random() % 200_000))
  }

  const pe = join(work, 'winpe')
  mkdirSync(join(pe, 'Windows', 'System32'), { recursive: true })
  writeFileSync(join(pe, 'Windows', 'System32', 'winpeshl.ini'), '[LaunchApps]\r\n%SYSTEMDRIVE%\\sources\\setup.exe\r\n')
  writeFileSync(join(pe, 'Windows', 'System32', 'boot.bin'), contents.next(BOOT_WIM_BYTES))
  await wimCapture(pe, join(root, 'sources', 'boot.wim'), 'Microsoft Windows PE (amd64)', ['--boot'])

  const install = join(work, 'install')
  mkdirSync(join(install, 'Windows', 'System32'), { recursive: true })
  writeFileSync(join(install, 'Windows', 'System32', 'edition.txt'), 'Windows 11 Pro')
  for (let i = 0; i < INSTALL_FILES; i++) writeFileSync(join(install, 'Windows', 'System32', `payload${String(i).padStart(2, '0')}.bin`), contents.next(INSTALL_FILE_BYTES))
  await wimCapture(install, join(root, 'sources', 'install.wim'), 'Windows 11 Pro', ['--flags=Professional'])
}

/** A UDF bridge ISO of the tree, as Microsoft's are. */
export async function makeMediaIso(tree: string, iso: string): Promise<void> {
  const result = await runTool(which('genisoimage')!, ['-quiet', '-udf', '-J', '-joliet-long', '-allow-limited-size', '-V', 'CCCOMA_X64FRE_EN-US_DV9', '-o', iso, tree], {
    timeoutMs: TOOL_TIMEOUT_MS,
  })
  if (result.exitCode !== 0) throw new Error(`genisoimage failed: ${result.stderr}`)
}
