import { describe, expect, it } from 'vitest'
import { detectTool, parseToolVersion } from '../../src/main/platform/detect-tools'
import { TOOL_CATALOG } from '../../src/main/platform/tool-catalog'
import { missingTool } from '../support/tools'

describe('tool detection', () => {
  it('reads versions from the banners tools print', () => {
    expect(parseToolVersion('wimlib-imagex 1.13.5 (using wimlib 1.13.5)\nCopyright')).toBe('1.13.5')
    expect(parseToolVersion('\n7-Zip [64] 26.02 : Copyright (c) 1999-2026\np7zip Version 16.02')).toBe('26.02')
    expect(parseToolVersion('GPT fdisk (sgdisk) version 1.0.9')).toBe('1.0.9')
    expect(parseToolVersion('mkntfs v2022.10.3 (libntfs-3g)')).toBe('2022.10.3')
    expect(parseToolVersion('Got 0 bytes instead of 512 at 0\nfsck.fat 4.2 (2021-01-31)')).toBe('4.2')
    expect(parseToolVersion('no digits here')).toBeNull()
  })

  it('describes tools of another OS as not applicable, with no probe', async () => {
    const dism = TOOL_CATALOG.find((t) => t.id === 'dism')!
    expect(await detectTool(dism, 'linux')).toMatchObject({ applicable: false, found: false, howToGet: 'Not available on this operating system' })
  })

  it.skipIf(missingTool('wimlib-imagex', 'wimtools'))('finds and runs a real tool', async () => {
    const wimlib = TOOL_CATALOG.find((t) => t.id === 'wimlib-imagex')!
    const status = await detectTool(wimlib, process.platform)
    expect(status).toMatchObject({ found: true, error: null })
    expect(status.version).toMatch(/^\d+\.\d+\.\d+$/)
  })
})
