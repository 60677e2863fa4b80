import { writeFileSync, truncateSync } from 'node:fs'
import { afterAll } from 'vitest'
import { run } from '../partition/peers'

/** A loop device over a fresh sparse file, with partition scanning; detached after the file's tests, whatever happened. */
export function loopDevice(backing: string, sizeBytes: number): string {
  writeFileSync(backing, Buffer.alloc(0))
  truncateSync(backing, sizeBytes)
  const device = run('losetup', ['--find', '--show', '--partscan', backing]).trim()
  afterAll(() => {
    run('losetup', ['--detach', device])
  })
  return device
}
