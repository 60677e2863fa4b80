import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generatedModule, generatedModulePath, kernelSources } from '../../../scripts/kernels.mjs'

const ROOT = `${__dirname}/../../..`

describe('WebAssembly kernels', () => {
  const sources = kernelSources().map((path) => ({ path, name: relative(ROOT, path) }))

  it('finds every kernel, so none can go stale unchecked', () => {
    expect(sources.map((s) => s.name).sort()).toEqual(['src/main/wim/codecs/lzx/kernel.as.ts', 'src/main/wim/codecs/xpress/kernel.as.ts'])
  })

  it.each(sources)('$name: the committed module is what the pinned compiler makes of it (else run npm run kernels)', async ({ path }) => {
    expect(readFileSync(generatedModulePath(path), 'utf8')).toBe(await generatedModule(path))
  })
})
