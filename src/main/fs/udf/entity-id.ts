import type { StructureView } from '../iso/structure-view'

/** An entity identifier, regid (ECMA-167 1/7.4): what wrote something or what a field means. */
export interface EntityId {
  /** The identifier text, e.g. "*OSTA UDF Compliant" or "+NSR02". */
  readonly identifier: string
  /** For UDF identifiers, the first two suffix bytes: a UDF revision such as 0x0250. */
  readonly revision: number
}

export function parseEntityId(view: StructureView, at: number): EntityId {
  const raw = view.slice(at + 1, 23)
  const end = raw.indexOf(0)
  return {
    identifier: String.fromCharCode(...(end < 0 ? raw : raw.subarray(0, end))),
    revision: view.u16(at + 24),
  }
}

/** 0x0250 → "2.50": the revision is binary-coded decimal. */
export function formatUdfRevision(revision: number): string {
  return `${(revision >> 8).toString(16)}.${(revision & 0xff).toString(16).padStart(2, '0')}`
}
