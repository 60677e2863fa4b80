import type { HostPlatform } from '../../shared/environment'

export interface ToolDef {
  id: string
  name: string
  command: string
  platforms: readonly HostPlatform[]
  versionArgs: readonly string[]
  unlocks: string
  howToGet: Partial<Record<HostPlatform, string>>
}

const ALL: readonly HostPlatform[] = ['linux', 'win32', 'darwin']
const POSIX: readonly HostPlatform[] = ['linux', 'darwin']

/** Host tools the app can use, what each one unlocks, and where to get it. */
export const TOOL_CATALOG: readonly ToolDef[] = [
  {
    id: 'wimlib-imagex',
    name: 'wimlib-imagex',
    command: 'wimlib-imagex',
    platforms: ALL,
    versionArgs: ['--version'],
    unlocks: 'Apply to and capture from NTFS volumes with full Windows metadata (NTFS-3G mode); a second opinion on WIM files.',
    howToGet: { linux: 'apt install wimtools (Debian/Ubuntu) or dnf install wimlib-utils', darwin: 'brew install wimlib', win32: 'Download wimlib for Windows from the wimlib project and add it to PATH' },
  },
  {
    id: 'mkntfs',
    name: 'mkntfs (ntfs-3g)',
    command: 'mkntfs',
    platforms: POSIX,
    versionArgs: ['--version'],
    unlocks: 'Format the Windows partition as NTFS when reimaging a disk.',
    howToGet: { linux: 'apt install ntfs-3g', darwin: 'brew install ntfs-3g-mac' },
  },
  {
    id: 'ntfs-3g',
    name: 'ntfs-3g',
    command: 'ntfs-3g',
    platforms: POSIX,
    versionArgs: ['--version'],
    unlocks: 'Read and write NTFS volumes (capture a Windows disk, apply with Windows metadata).',
    howToGet: { linux: 'apt install ntfs-3g', darwin: 'brew install ntfs-3g-mac' },
  },
  {
    id: 'mkfs.exfat',
    name: 'mkfs.exfat',
    command: 'mkfs.exfat',
    platforms: ['linux'],
    versionArgs: ['--version'],
    unlocks: 'Restore a USB stick as one exFAT partition (FAT32 needs no tool).',
    howToGet: { linux: 'apt install exfatprogs' },
  },
  {
    id: 'dism',
    name: 'DISM',
    command: 'dism',
    platforms: ['win32'],
    versionArgs: ['/English', '/?'],
    unlocks: 'Apply and capture with full Windows metadata; service mounted images (drivers, packages, features).',
    howToGet: { win32: 'Part of Windows; run the app as Administrator to use it' },
  },
  {
    id: 'bcdboot',
    name: 'BCDboot',
    command: 'bcdboot',
    platforms: ['win32'],
    versionArgs: ['/?'],
    unlocks: 'Write boot files and the BCD store after applying an image.',
    howToGet: { win32: 'Part of Windows' },
  },
  {
    id: 'diskpart',
    name: 'DiskPart',
    command: 'diskpart',
    platforms: ['win32'],
    versionArgs: ['/?'],
    unlocks: 'Clean disks and take volumes offline before a raw write.',
    howToGet: { win32: 'Part of Windows' },
  },
  {
    id: 'diskutil',
    name: 'diskutil',
    command: 'diskutil',
    platforms: ['darwin'],
    versionArgs: ['help'],
    unlocks: 'Unmount disks before a raw write on macOS.',
    howToGet: { darwin: 'Part of macOS' },
  },
  {
    id: 'qemu-system-x86_64',
    name: 'QEMU (x86_64)',
    command: 'qemu-system-x86_64',
    platforms: ALL,
    versionArgs: ['--version'],
    unlocks: 'Test-boot the media you made in a virtual machine before handing it out.',
    howToGet: { linux: 'apt install qemu-system-x86 ovmf', darwin: 'brew install qemu', win32: 'Install QEMU for Windows and add it to PATH' },
  },
  {
    id: 'sgdisk',
    name: 'sgdisk (GPT fdisk)',
    command: 'sgdisk',
    platforms: POSIX,
    versionArgs: ['--version'],
    unlocks: 'An independent check of the partition tables we write.',
    howToGet: { linux: 'apt install gdisk', darwin: 'brew install gptfdisk' },
  },
  {
    id: 'fsck.fat',
    name: 'fsck.fat (dosfstools)',
    command: 'fsck.fat',
    platforms: POSIX,
    // dosfstools has no version flag; a read-only check of /dev/null prints the banner and stops.
    versionArgs: ['-n', '/dev/null'],
    unlocks: 'An independent check of the FAT32 file systems we write.',
    howToGet: { linux: 'apt install dosfstools', darwin: 'brew install dosfstools' },
  },
  {
    id: '7z',
    name: '7-Zip',
    command: '7z',
    platforms: ALL,
    versionArgs: [],
    unlocks: 'An independent reader of WIM and ISO files, to double-check what we write.',
    howToGet: { linux: 'apt install p7zip-full (or 7zip)', darwin: 'brew install sevenzip', win32: 'Install 7-Zip' },
  },
  {
    id: 'xorriso',
    name: 'xorriso',
    command: 'xorriso',
    platforms: POSIX,
    versionArgs: ['-version'],
    unlocks: 'Build and inspect ISO images.',
    howToGet: { linux: 'apt install xorriso', darwin: 'brew install xorriso' },
  },
]
