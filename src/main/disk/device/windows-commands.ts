/**
 * What runs on Windows around a raw write, built as data so it can be checked anywhere:
 * PowerShell locks and dismounts every volume of the disk (FSCTL_LOCK_VOLUME, then
 * FSCTL_DISMOUNT_VOLUME) and keeps the locks until its standard input closes; only then
 * may \\.\PhysicalDriveN be written where those volumes were. When it ends it asks Windows
 * to read the new partition table (Update-Disk).
 */
import { AppError } from '../../../shared/errors'
import { encodeUtf16le } from '../../io/utf16'

/** Control codes from winioctl.h. */
export const FSCTL_LOCK_VOLUME = 0x00090018
export const FSCTL_DISMOUNT_VOLUME = 0x00090020

/** What the lock holder prints once every volume is locked. */
export const LOCKED_MARKER = 'IMAGING-VOLUMES-LOCKED'

/** 3 for \\.\PhysicalDrive3. */
export function physicalDriveNumber(device: string): number {
  const match = /^\\\\\.\\PhysicalDrive(\d{1,3})$/i.exec(device)
  if (!match) throw new AppError('VALIDATION', `${device} is not a physical drive path (\\\\.\\PhysicalDriveN)`, { device })
  return Number(match[1])
}

export function lockVolumesScript(diskNumber: number): string {
  if (!Number.isInteger(diskNumber) || diskNumber < 0) throw new AppError('VALIDATION', `Bad disk number ${diskNumber}`, { diskNumber })
  return `$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
public static class ImagingVolumeLock {
  [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
  static extern SafeFileHandle CreateFile(string name, uint access, uint share, IntPtr security, uint disposition, uint flags, IntPtr template);
  [DllImport("kernel32.dll", SetLastError = true)]
  static extern bool DeviceIoControl(SafeFileHandle handle, uint code, IntPtr input, uint inputSize, IntPtr output, uint outputSize, out uint returned, IntPtr overlapped);
  public static SafeFileHandle LockAndDismount(string volume) {
    // GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING
    SafeFileHandle handle = CreateFile(volume, 0xC0000000, 3, IntPtr.Zero, 3, 0, IntPtr.Zero);
    if (handle.IsInvalid) throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(), "open " + volume);
    uint returned;
    for (int attempt = 0; !DeviceIoControl(handle, ${FSCTL_LOCK_VOLUME}, IntPtr.Zero, 0, IntPtr.Zero, 0, out returned, IntPtr.Zero); attempt++) {
      if (attempt == 20) throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(), "lock " + volume + " (a program has files open on it)");
      System.Threading.Thread.Sleep(250);
    }
    if (!DeviceIoControl(handle, ${FSCTL_DISMOUNT_VOLUME}, IntPtr.Zero, 0, IntPtr.Zero, 0, out returned, IntPtr.Zero))
      throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(), "dismount " + volume);
    return handle;
  }
}
'@
$held = @()
$paths = Get-Partition -DiskNumber ${diskNumber} -ErrorAction SilentlyContinue | ForEach-Object { $_.AccessPaths } | Where-Object { $_ -like '\\\\?\\Volume*' }
foreach ($path in $paths) { $held += [ImagingVolumeLock]::LockAndDismount($path.TrimEnd('\\')) }
[Console]::Out.WriteLine('${LOCKED_MARKER} ' + $held.Count)
[Console]::Out.Flush()
[void][Console]::In.ReadToEnd()
foreach ($handle in $held) { $handle.Dispose() }
Update-Disk -Number ${diskNumber} -ErrorAction SilentlyContinue
`
}

/** powershell.exe running a script given as -EncodedCommand (base64 of UTF-16LE): no quoting to get wrong. */
export function powershellCommand(script: string): { command: string; args: string[] } {
  return {
    command: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(encodeUtf16le(script)).toString('base64')],
  }
}
