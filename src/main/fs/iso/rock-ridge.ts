import type { StructureView } from './structure-view'

/** Where a System Use area goes on (SUSP CE entry): a run of bytes in another sector. */
export interface Continuation {
  readonly sector: number
  readonly offset: number
  readonly length: number
}

const S_IFMT = 0o170000
const S_IFDIR = 0o040000
const S_IFREG = 0o100000
const NM_CURRENT_OR_PARENT = 0x06

/**
 * What Rock Ridge (IEEE P1282 over SUSP P1281) says about one directory record, gathered
 * over its System Use area and any continuation areas.
 */
export class RockRidgeFields {
  private readonly nameBytes: number[] = []
  private named = false
  /** RE: this directory was moved here from a deeper place and is listed there through a CL. */
  relocated = false
  /** CL: this record stands for a directory that was relocated to this sector. */
  childLink: number | null = null
  private mode: number | null = null
  private symbolicLink = false

  get name(): string | null {
    return this.named ? new TextDecoder().decode(new Uint8Array(this.nameBytes)) : null
  }

  /** Symbolic links, devices, FIFOs and sockets: nothing a boot medium copies. */
  get isSpecial(): boolean {
    if (this.symbolicLink) return true
    if (this.mode === null) return false
    const type = this.mode & S_IFMT
    return type !== S_IFDIR && type !== S_IFREG
  }

  /** Takes in the entries of one System Use area; returns the continuation it points to, if any. */
  read(area: StructureView): Continuation | null {
    let continuation: Continuation | null = null
    for (let at = 0; at + 4 <= area.length; ) {
      const signature = String.fromCharCode(area.u8(at), area.u8(at + 1))
      const length = area.u8(at + 2)
      if (length < 4) break
      const entry = area.sub(at, length, 'Rock Ridge entry')
      if (signature === 'ST') break
      if (signature === 'CE') continuation = { sector: entry.u32(4), offset: entry.u32(12), length: entry.u32(20) }
      else if (signature === 'NM') this.readName(entry)
      else if (signature === 'RE') this.relocated = true
      else if (signature === 'CL') this.childLink = entry.u32(4)
      else if (signature === 'PX') this.mode = entry.u32(4)
      else if (signature === 'SL') this.symbolicLink = true
      at += length
    }
    return continuation
  }

  private readName(entry: StructureView): void {
    const flags = entry.u8(4)
    if (flags & NM_CURRENT_OR_PARENT) return
    this.named = true
    // Continued names (flag 1) simply go on in the next NM entry.
    this.nameBytes.push(...entry.slice(5, entry.length - 5))
  }
}

/**
 * Whether a tree uses SUSP, from the System Use area of its root's "." record (SUSP 5.3, the
 * SP entry), and how many bytes to skip at the start of every System Use area if so.
 */
export function suspSkipLength(rootSystemUse: StructureView): number | null {
  if (rootSystemUse.length < 7) return null
  const signature = String.fromCharCode(rootSystemUse.u8(0), rootSystemUse.u8(1))
  if (signature !== 'SP' || rootSystemUse.u8(4) !== 0xbe || rootSystemUse.u8(5) !== 0xef) return null
  return rootSystemUse.u8(6)
}
