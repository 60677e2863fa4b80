import { MAX_MEDIA_LABEL_LENGTH } from '../../shared/media'
import { labelField } from '../fs/fat32/short-names'

/** What a medium is called when its source has no usable label. */
export const FALLBACK_MEDIA_LABEL = 'WINSETUP'

/**
 * The FAT label a medium gets by default: the ISO's own label cut to FAT's 11 characters
 * (CCCOMA_X64FRE_EN-US_DV9 → CCCOMA_X64F, as technicians know it from other tools), with
 * characters FAT refuses replaced.
 */
export function defaultMediaLabel(volumeLabel: string | null): string {
  const candidate = (volumeLabel ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9 !#$%&'()@^_`{}~-]/g, '_')
    .slice(0, MAX_MEDIA_LABEL_LENGTH)
    .trim()
  if (candidate === '') return FALLBACK_MEDIA_LABEL
  try {
    labelField(candidate)
    return candidate
  } catch {
    return FALLBACK_MEDIA_LABEL
  }
}
