/**
 * The processorArchitecture an answer file needs, from what the WIM's XML says about its
 * images (wim-info names them x86, x64, arm64, ...). Setup applies only the components whose
 * architecture matches the image, so a wrong one is silently ignored, never an error.
 */
import { AppError } from '../../../shared/errors'
import type { UnattendArchitecture } from '../../../shared/unattend'

const FROM_WIM: ReadonlyMap<string, UnattendArchitecture> = new Map([
  ['x86', 'x86'],
  ['x64', 'amd64'],
  ['arm64', 'arm64'],
])

/** Every architecture among the images, in the order first met; an image Windows 10/11 Setup cannot install is refused. */
export function unattendArchitecturesOf(images: ReadonlyArray<{ index: number; architecture: string | null }>): UnattendArchitecture[] {
  const found = new Set<UnattendArchitecture>()
  for (const image of images) {
    const architecture = image.architecture === null ? undefined : FROM_WIM.get(image.architecture)
    if (architecture === undefined) {
      throw new AppError('UNSUPPORTED', `Image ${image.index} is for ${image.architecture ?? 'an unstated architecture'}: no answer file can target it`, {
        image: image.index,
        architecture: image.architecture,
      })
    }
    found.add(architecture)
  }
  return [...found]
}
