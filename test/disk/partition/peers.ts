import { spawnSync } from 'node:child_process'
import type { DiskLayout } from '../../../src/main/disk/partition'
import { toolPath } from '../../support/tools'

/**
 * The real peers that check our tables and make theirs: sgdisk (gdisk) and sfdisk (fdisk).
 * Neither takes a sector size for an image file (sfdisk 2.38 has no --sector-size), so a
 * 4K-sector disk is an image behind a loop device with --sector-size 4096.
 */

/** A peer's output; any failure to run or a non-zero exit fails the test with what it printed. */
export function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(toolPath(command), args, { input, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, timeout: 30_000 })
  if (result.error) throw result.error
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`)
  return result.stdout
}

/** Runs `use` on the image itself at 512-byte sectors, or on a loop device showing it with 4096-byte sectors. */
export async function asDisk<T>(image: string, sectorSize: number, use: (device: string) => Promise<T>): Promise<T> {
  if (sectorSize === 512) return use(image)
  const device = (run('losetup', ['--find', '--show', '--sector-size', String(sectorSize), image])).trim()
  try {
    return await use(device)
  } finally {
    run('losetup', ['--detach', device])
  }
}

export function isRoot(): boolean {
  return process.getuid?.() === 0
}

export interface SfdiskTable {
  label: 'gpt' | 'dos'
  id: string
  sectorsize: number
  firstlba?: number
  lastlba?: number
  partitions: SfdiskPartition[]
}

export interface SfdiskPartition {
  node: string
  start: number
  size: number
  type: string
  uuid?: string
  name?: string
  attrs?: string
  bootable?: boolean
}

export function sfdiskJson(device: string): SfdiskTable {
  return (JSON.parse(run('sfdisk', ['--json', device])) as { partitiontable: SfdiskTable }).partitiontable
}

export interface SgdiskPartitionInfo {
  typeGuid: string
  uniqueGuid: string
  firstSector: number
  lastSector: number
  attributes: string
  name: string
}

export function sgdiskInfo(device: string, index: number): SgdiskPartitionInfo {
  const text = run('sgdisk', ['-i', String(index), device])
  const field = (label: string): string => {
    const match = new RegExp(`^${label}: (.*)$`, 'm').exec(text)
    if (!match) throw new Error(`sgdisk -i ${index} printed no "${label}":\n${text}`)
    return match[1]
  }
  return {
    typeGuid: field('Partition GUID code').split(' ')[0],
    uniqueGuid: field('Partition unique GUID'),
    firstSector: Number(field('First sector').split(' ')[0]),
    lastSector: Number(field('Last sector').split(' ')[0]),
    attributes: field('Attribute flags'),
    name: /^'(.*)'$/.exec(field('Partition name'))?.[1] ?? '',
  }
}

/** sgdisk -v's whole report; a sound table says "No problems found" and raises no caution. */
export function sgdiskVerify(device: string): string {
  return run('sgdisk', ['-v', device])
}

/** How sfdisk prints GPT attribute bits: named UEFI bits, then "GUID:" and the type-specific bits 48-63. */
export function sfdiskAttributes(attributes: bigint): string | undefined {
  const names: string[] = []
  const named: [bigint, string][] = [
    [0n, 'RequiredPartition'],
    [1n, 'NoBlockIOProtocol'],
    [2n, 'LegacyBIOSBootable'],
  ]
  for (const [bit, name] of named) if (attributes & (1n << bit)) names.push(name)
  const typeBits: string[] = []
  for (let bit = 48n; bit < 64n; bit++) if (attributes & (1n << bit)) typeBits.push(String(bit))
  if (typeBits.length > 0) names.push(`GUID:${typeBits.join(',')}`)
  return names.length > 0 ? names.join(' ') : undefined
}

/** A layout as a table holds it: without what only a plan knows (kind, roles, file systems) or a reader finds (damage). */
export function tableOnly(layout: DiskLayout): unknown {
  const { kind: _kind, ...rest } = layout
  if ('damage' in rest) delete rest.damage
  return {
    ...rest,
    partitions: layout.partitions.map((partition) => {
      const { role: _role, fileSystem: _fileSystem, ...fields } = partition
      return fields
    }),
  }
}
