/**
 * QEMU boots for the tests: always TCG (this host has no usable KVM), 256 MiB, no display,
 * the serial console on stdout, a hard time limit, and every process killed in the end.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { toolPath } from './tools'

export const OVMF = '/usr/share/ovmf/OVMF.fd'

export interface QemuResult {
  /** Serial console and QEMU's own messages, in order. */
  output: string
  /** QEMU's exit status; null when the test stopped it. */
  exitCode: number | null
  /** The time limit ended the run. */
  timedOut: boolean
  elapsedMs: number
}

const running = new Set<ChildProcess>()

/** For afterAll: ends any QEMU a failed or interrupted test left behind. */
export function killQemus(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

/**
 * SeaBIOS mirrors the text screen to serial, and where its timer catches it mid-line it puts
 * a carriage return and cursor moves between two characters: drop both.
 */
export function screenText(output: string): string {
  // eslint-disable-next-line no-control-regex -- terminal escape sequences are what is removed
  return output.replace(/\x1b(\[[0-9;?]*[A-Za-z]|c)|\r/g, '')
}

export interface BootOptions {
  firmware: 'seabios' | 'ovmf'
  timeoutMs: number
  /** Stop QEMU as soon as the screen text matches (for boots that end at a prompt). */
  stopWhen?: RegExp
}

export function boot(image: string, options: BootOptions): Promise<QemuResult> {
  const firmware = options.firmware === 'ovmf' ? ['-machine', 'q35', '-bios', OVMF] : []
  const args = [
    ...firmware,
    '-accel', 'tcg',
    '-m', '256',
    '-nographic',
    '-no-reboot',
    // The stand-in bootmgr ends the run through this port.
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
    // snapshot: the medium is checked again after it booted, unchanged by the guest.
    '-drive', `file=${image},format=raw,snapshot=on`,
  ]
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(toolPath('qemu-system-x86_64'), args, { stdio: ['ignore', 'pipe', 'pipe'] })
    running.add(child)
    let output = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    const collect = (chunk: Buffer) => {
      output += chunk.toString('latin1')
      if (options.stopWhen?.test(screenText(output))) child.kill('SIGKILL')
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', (error) => {
      clearTimeout(timer)
      running.delete(child)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      running.delete(child)
      resolve({ output, exitCode: code, timedOut, elapsedMs: Date.now() - started })
    })
  })
}

/**
 * A GRUB EFI application (grub-mkstandalone) that runs `script`: the payload of the boot
 * tests, standing in for Windows' loader. The script usually echoes a marker and halts.
 */
export function grubEfiPayload(dir: string, script: string, modules = 'part_gpt part_msdos fat echo halt ls'): Uint8Array {
  const config = join(dir, 'grub.cfg')
  const output = join(dir, 'BOOTX64.EFI')
  writeFileSync(config, script)
  execFileSync(toolPath('grub-mkstandalone'), ['-O', 'x86_64-efi', '-o', output, `--modules=${modules}`, '--locales=', '--fonts=', '--themes=', `boot/grub/grub.cfg=${config}`], {
    stdio: 'pipe',
  })
  return readFileSync(output)
}
