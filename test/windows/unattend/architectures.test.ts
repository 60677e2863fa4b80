import { describe, expect, it } from 'vitest'
import { unattendArchitecturesOf } from '../../../src/main/windows/unattend'

describe('architectures from the WIM', () => {
  it("turn the image XML's names into Setup's, each once", () => {
    const images = [
      { index: 1, architecture: 'x64' },
      { index: 2, architecture: 'arm64' },
      { index: 3, architecture: 'x64' },
      { index: 4, architecture: 'x86' },
    ]
    expect(unattendArchitecturesOf(images)).toEqual(['amd64', 'arm64', 'x86'])
  })

  it('refuse an image no answer file can target, naming it', () => {
    for (const architecture of ['ia64', 'unknown (7)', null]) {
      expect(() => unattendArchitecturesOf([{ index: 2, architecture }])).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', details: { image: 2, architecture } }))
    }
  })
})
