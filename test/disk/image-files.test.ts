import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ImageFileRegistry } from '../../src/main/disk/image-files'
import { tempDir } from '../support/temp'

describe('image file targets', () => {
  const dir = tempDir()

  it('registers existing and new files, and remembers them across runs', () => {
    const existing = join(dir, 'stick.img')
    writeFileSync(existing, Buffer.alloc(4096))
    const registry = new ImageFileRegistry(join(dir, 'data'))
    expect(registry.add(existing)).toMatchObject({ kind: 'image-file', exists: true, sizeBytes: 4096, isSystem: false })
    expect(registry.add(join(dir, 'new.img'))).toMatchObject({ exists: false, sizeBytes: null })
    registry.add(existing)
    expect(new ImageFileRegistry(join(dir, 'data')).list().map((d) => d.device)).toEqual([existing, join(dir, 'new.img')])
  })

  it('refuses folders, devices and paths in missing folders, with the path named', () => {
    const registry = new ImageFileRegistry(join(dir, 'data2'))
    expect(() => registry.add(dir)).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining(dir) }))
    expect(() => registry.add('/dev/sda')).toThrow(expect.objectContaining({ code: 'UNSAFE_TARGET' }))
    expect(() => registry.add(join(dir, 'nope', 'x.img'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expect(() => registry.remove('file:/not/registered')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })
})
