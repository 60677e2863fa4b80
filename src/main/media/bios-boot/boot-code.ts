/**
 * The GRUB boot code the app carries (resources/bios-boot, made by its generate.sh from
 * Debian's grub-pc-bin): read, checked against its manifest, and made ready to write.
 * It is carried rather than built because Windows and macOS hosts have no GRUB tools.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import { loaderSectors, mbrBootCode } from './grub-images'

export interface BiosBootCode {
  /** The GRUB package version the code was built from, for logs and the UI. */
  readonly grubVersion: string
  /** Bytes 0-439 of the MBR: GRUB's boot.img. */
  readonly mbrCode: Uint8Array
  /** GRUB's core.img in whole sectors, for LBA 1 onwards. */
  readonly loader: Uint8Array
}

const FILES = ['boot.img', 'core.img'] as const

interface Manifest {
  grubVersion: string
  sha256: Record<(typeof FILES)[number], string>
}

/** `dir` is the bundled resources/bios-boot folder. */
export async function loadBiosBootCode(dir: string): Promise<BiosBootCode> {
  const manifest = parseManifest(await readResource(join(dir, 'manifest.json')), join(dir, 'manifest.json'))
  const [bootImg, coreImg] = await Promise.all(
    FILES.map(async (name) => {
      const path = join(dir, name)
      const bytes = await readResource(path)
      // A damaged install must not reach a disk: the bytes are exactly those generate.sh made.
      if (createHash('sha256').update(bytes).digest('hex') !== manifest.sha256[name]) {
        throw new AppError('CORRUPT', `${path} does not match the SHA-256 in manifest.json: the app's files are damaged (or were changed without generate.sh)`, { path })
      }
      return bytes
    }),
  )
  return {
    grubVersion: manifest.grubVersion,
    mbrCode: mbrBootCode(bootImg, join(dir, 'boot.img')),
    loader: loaderSectors(coreImg, join(dir, 'core.img')),
  }
}

async function readResource(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new AppError(missing ? 'NOT_FOUND' : 'IO', `Cannot read the BIOS boot code ${path}: ${(error as Error).message}`, { path }, { cause: error })
  }
}

function parseManifest(bytes: Uint8Array, path: string): Manifest {
  const fail = (problem: string) => new AppError('CORRUPT', `${path}: ${problem}`, { path })
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    throw fail(`not JSON (${(error as Error).message})`)
  }
  const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined)
  const grubVersion = field(field(json, 'grub'), 'version')
  if (typeof grubVersion !== 'string') throw fail('grub.version is missing')
  const sums = field(json, 'sha256')
  const sha256 = Object.fromEntries(
    FILES.map((name) => {
      const sum = field(sums, name)
      if (typeof sum !== 'string' || !/^[0-9a-f]{64}$/.test(sum)) throw fail(`sha256["${name}"] is not a SHA-256`)
      return [name, sum]
    }),
  ) as Manifest['sha256']
  return { grubVersion, sha256 }
}
