import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** Mount points the running system cannot live without: their disks are never written. */
export const SYSTEM_MOUNTPOINTS = new Set(['/', '/boot', '/boot/efi', '/efi', '/usr', '/var'])

export interface MountEntry {
  devNumber: string
  mountpoint: string
  source: string
}

/** /proc/self/mountinfo lines (see proc(5)): "id parent major:minor root mountpoint ... - fstype source opts". */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = []
  for (const line of text.split('\n')) {
    const fields = line.split(' ')
    const dash = fields.indexOf('-')
    if (fields.length < 5 || dash < 0 || dash + 2 >= fields.length) continue
    entries.push({ devNumber: fields[2]!, mountpoint: unescapeOctal(fields[4]!), source: unescapeOctal(fields[dash + 2]!) })
  }
  return entries
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
}

/**
 * Whole-disk kernel names (sda, nvme0n1) that a block device sits on, following partitions to
 * their disk and device-mapper / md devices (LVM, LUKS, RAID) to the disks beneath them.
 */
export function disksUnder(sysBlockPath: string, sysRoot = '/sys', seen = new Set<string>()): string[] {
  let path: string
  try {
    path = realpathSync(sysBlockPath)
  } catch {
    return []
  }
  if (seen.has(path)) return []
  seen.add(path)
  const slaves = join(path, 'slaves')
  if (existsSync(slaves)) {
    const below = readdirSync(slaves)
    if (below.length > 0) return below.flatMap((name) => disksUnder(join(sysRoot, 'class', 'block', name), sysRoot, seen))
  }
  if (existsSync(join(path, 'partition'))) return disksUnder(dirname(path), sysRoot, seen)
  return [basename(path)]
}

/** "major:minor" of a block device node, or null when the path is not one. */
export function devNumberOf(path: string): string | null {
  try {
    const st = statSync(path)
    return st.isBlockDevice() ? devNumberFromRdev(st.rdev) : null
  } catch {
    return null
  }
}

/** st_rdev as "major:minor": Linux keeps major in bits 8-19 (and 44+), minor in bits 0-7 and 20-43. */
export function devNumberFromRdev(rdev: number): string {
  const major = ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff)
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00)
  return `${major}:${minor}`
}

/** Disk name -> why it is a system disk ("mounted at /", "active swap"). */
export function linuxSystemDisks(procRoot = '/proc', sysRoot = '/sys'): Map<string, string> {
  const result = new Map<string, string>()
  const mark = (devNumber: string | null, reason: string): void => {
    if (!devNumber || devNumber.startsWith('0:')) return
    for (const disk of disksUnder(join(sysRoot, 'dev', 'block', devNumber), sysRoot)) {
      if (!result.has(disk)) result.set(disk, reason)
    }
  }
  let mountinfo: string
  try {
    mountinfo = readFileSync(join(procRoot, 'self', 'mountinfo'), 'utf8')
  } catch {
    return result
  }
  for (const entry of parseMountinfo(mountinfo)) {
    if (!SYSTEM_MOUNTPOINTS.has(entry.mountpoint)) continue
    const reason = `mounted at ${entry.mountpoint}`
    mark(entry.devNumber, reason)
    // btrfs and some others report an anonymous device number; the source names the real one.
    if (entry.source.startsWith('/dev/')) mark(devNumberOf(entry.source), reason)
  }
  try {
    for (const line of readFileSync(join(procRoot, 'swaps'), 'utf8').split('\n').slice(1)) {
      const device = line.split(/\s+/)[0]
      if (device?.startsWith('/dev/')) mark(devNumberOf(device), 'active swap')
    }
  } catch {
    // No swap information: nothing more to mark.
  }
  return result
}
