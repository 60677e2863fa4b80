import type { StructureView } from '../iso/structure-view'
import { parseLongAd, type LongAd } from './allocation-descriptors'

/** File Set Descriptor (ECMA-167 4/14.1): where the root directory's ICB is. */
export function parseFileSetRoot(view: StructureView): LongAd {
  return parseLongAd(view, 400)
}
