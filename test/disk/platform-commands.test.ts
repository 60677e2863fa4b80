import { describe, expect, it } from 'vitest'
import { rawDiskPath, unmountDiskCommand } from '../../src/main/disk/device/macos-commands'
import { FSCTL_DISMOUNT_VOLUME, FSCTL_LOCK_VOLUME, lockVolumesScript, physicalDriveNumber, powershellCommand } from '../../src/main/disk/device/windows-commands'
import { elevatedCommand, shellQuote, type Invocation } from '../../src/main/disk/elevation/launch'

/** What powershell.exe runs for -EncodedCommand: base64 of UTF-16LE. */
function decoded(args: string[]): string {
  const index = args.indexOf('-EncodedCommand')
  expect(index).toBeGreaterThan(-1)
  return Buffer.from(args[index + 1]!, 'base64').toString('utf16le')
}

const invocation: Invocation = {
  command: '/opt/Imaging Workstation/imaging',
  args: ['/opt/Imaging Workstation/resources/out/main/cli.js', 'disk-helper', '--socket', "/tmp/it's/helper.sock", '--secret-file', '/tmp/x/secret'],
  env: { ELECTRON_RUN_AS_NODE: '1' },
}

describe('Windows commands', () => {
  it('reads the disk number of a physical drive path, and nothing else', () => {
    expect(physicalDriveNumber('\\\\.\\PhysicalDrive3')).toBe(3)
    expect(() => physicalDriveNumber('C:\\')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => physicalDriveNumber('\\\\.\\PhysicalDrive3\\..\\C:')).toThrow()
  })

  it('locks and dismounts every volume of the disk, holds the locks until told, then rescans the disk', () => {
    const script = lockVolumesScript(2)
    expect(script).toContain(`DeviceIoControl(handle, ${FSCTL_LOCK_VOLUME}`)
    expect(script).toContain(`DeviceIoControl(handle, ${FSCTL_DISMOUNT_VOLUME}`)
    expect(FSCTL_LOCK_VOLUME).toBe(0x90018)
    expect(FSCTL_DISMOUNT_VOLUME).toBe(0x90020)
    expect(script).toContain('Get-Partition -DiskNumber 2')
    expect(script.indexOf('[Console]::In.ReadToEnd()')).toBeLessThan(script.indexOf('Update-Disk -Number 2'))
    expect(() => lockVolumesScript(-1)).toThrow()
  })

  it('passes scripts to PowerShell encoded, so no quoting can break them', () => {
    const { command, args } = powershellCommand("Write-Output 'a \"b\" c'")
    expect(command).toBe('powershell.exe')
    expect(decoded(args)).toBe("Write-Output 'a \"b\" c'")
  })
})

describe('macOS commands', () => {
  it('unmounts the whole disk and writes its raw node', () => {
    expect(rawDiskPath('/dev/disk4')).toBe('/dev/rdisk4')
    expect(rawDiskPath('/dev/rdisk4')).toBe('/dev/rdisk4')
    expect(unmountDiskCommand('/dev/disk4')).toEqual({ command: 'diskutil', args: ['unmountDisk', 'force', '/dev/disk4'] })
    expect(() => rawDiskPath('/dev/disk4s1')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })
})

describe('elevation commands', () => {
  it('Linux: pkexec runs env, which sets the variables and starts the helper', () => {
    expect(elevatedCommand('linux', invocation, '/usr/bin/pkexec')).toEqual({
      command: '/usr/bin/pkexec',
      args: ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', invocation.command, ...invocation.args],
    })
  })

  it('macOS: one quoted shell command inside an AppleScript string, with administrator privileges', () => {
    const { command, args } = elevatedCommand('darwin', invocation)
    expect(command).toBe('/usr/bin/osascript')
    expect(args[0]).toBe('-e')
    const script = args[1]!
    expect(script).toMatch(/^do shell script ".*" with administrator privileges$/)
    const shell = JSON.parse(script.slice('do shell script '.length, script.length - ' with administrator privileges'.length)) as string
    expect(shell).toBe(`ELECTRON_RUN_AS_NODE=1 '/opt/Imaging Workstation/imaging' '/opt/Imaging Workstation/resources/out/main/cli.js' disk-helper --socket '/tmp/it'\\''s/helper.sock' --secret-file /tmp/x/secret`)
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
  })

  it('Windows: Start-Process -Verb RunAs of PowerShell, which sets the variables and runs the helper', () => {
    const { command, args } = elevatedCommand('win32', { ...invocation, command: 'C:\\Program Files\\Imaging\\imaging.exe', args: ['C:\\it\'s\\cli.js', 'disk-helper'] })
    expect(command).toBe('powershell.exe')
    const outer = decoded(args)
    expect(outer).toMatch(/^Start-Process -FilePath 'powershell.exe' -Verb RunAs -WindowStyle Hidden -ArgumentList '-NoProfile',/)
    const innerArgs = [...outer.matchAll(/'([^']*)'/g)].map((m) => m[1]!)
    expect(decoded(innerArgs)).toBe("$env:ELECTRON_RUN_AS_NODE = '1'\n& 'C:\\Program Files\\Imaging\\imaging.exe' 'C:\\it''s\\cli.js' 'disk-helper'\nexit $LASTEXITCODE")
  })

  it('refuses an OS it cannot elevate on', () => {
    expect(() => elevatedCommand('freebsd', invocation)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
  })
})
