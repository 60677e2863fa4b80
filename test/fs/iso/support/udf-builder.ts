import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs'
import { descriptorCrc } from '../../../../src/main/fs/udf/descriptor-tag'

/**
 * Writes UDF images no tool on this machine can: UDF 2.50 with a metadata partition (type 2
 * map), files over 4 GiB as many extents with holes and an allocation extent descriptor, and
 * deliberately hostile trees (loops, bad names). Serialised from ECMA-167 / OSTA UDF 2.60
 * directly, independently of the reader; 7-Zip reading the same images is the cross-check.
 * Images are sparse files: only structures and the bytes tests look at are written.
 */

const BLOCK = 2048
const PARTITION_START = 257
const MAIN_SEQUENCE = 32
const RESERVE_SEQUENCE = 48
const ANCHOR = 256
const FIXED_DATE = new Date('2022-03-04T05:06:07Z')

export interface CraftedExtent {
  readonly kind: 'recorded' | 'allocated' | 'unallocated'
  readonly length: number
  /** Bytes written at the start and at the end of a recorded extent, so reads can tell extents apart. */
  readonly marker?: Uint8Array
}

export type CraftedNode =
  | { readonly type: 'dir'; readonly name: string; readonly children: CraftedNode[]; readonly embedded?: boolean }
  | { readonly type: 'file'; readonly name: string; readonly content: Uint8Array; readonly embedded?: boolean }
  /** A file made of explicit extents; descriptors past `continueAfter` go into an allocation extent descriptor. */
  | { readonly type: 'extents'; readonly name: string; readonly size: number; readonly extents: CraftedExtent[]; readonly continueAfter?: number }
  /** A name pointing at the ICB of the directory `target` levels up (0 = the directory it is in). */
  | { readonly type: 'up-link'; readonly name: string; readonly target: number }
  /** A name in raw OSTA compressed Unicode, for names no encoder would produce. */
  | { readonly type: 'raw-name'; readonly name: Uint8Array; readonly content: Uint8Array }

export interface CraftOptions {
  /** 0x0102, 0x0201 or 0x0250; 2.50 lays metadata out in a metadata partition. */
  readonly revision: number
  readonly label?: string
}

interface Placed {
  readonly node: CraftedNode
  readonly parent: Placed | null
  entryBlock: number
  children: Placed[]
  dataBlock: number
  extentBlocks: number[]
  continuationBlock: number
}

/**
 * Writes the image to `path`. Layout: recognition sequence at 16, main and reserve volume
 * descriptor sequences at 32 and 48, anchors at 256 and at the last block, one partition from
 * block 257 holding (for 2.50) the metadata file, its mirror and the metadata area, then data.
 */
export function craftUdfImage(path: string, tree: CraftedNode[], options: CraftOptions): void {
  const metadata = options.revision >= 0x0250
  const metaRef = metadata ? 1 : 0
  let metaCursor = 0
  const metaAlloc = (blocks: number) => ((metaCursor += blocks), metaCursor - blocks)
  const fileSetBlock = metaAlloc(1)

  // Pass 1: entries and directory data in the metadata space (the metadata partition in 2.50).
  const place = (node: CraftedNode, parent: Placed | null): Placed => {
    const placed: Placed = { node, parent, entryBlock: metaAlloc(1), children: [], dataBlock: -1, extentBlocks: [], continuationBlock: -1 }
    if (node.type === 'dir') placed.children = node.children.map((child) => place(child, placed))
    return placed
  }
  const root = place({ type: 'dir', name: '', children: tree }, null)
  const all: Placed[] = []
  const collect = (p: Placed) => (all.push(p), p.children.forEach(collect))
  collect(root)
  for (const dir of all.filter((p) => p.node.type === 'dir')) {
    const size = fileIdentifiers(dir, metaRef, 0).length
    const embedded = (dir.node as { embedded?: boolean }).embedded === true
    if (!embedded) dir.dataBlock = metaAlloc(Math.ceil(size / BLOCK))
  }
  const metaBlocks = metaCursor

  // Pass 2: file data in the physical partition, after the metadata file, its mirror and area.
  let physCursor = metadata ? 2 + metaBlocks : metaBlocks
  const physAlloc = (bytes: number) => ((physCursor += Math.ceil(bytes / BLOCK)), physCursor - Math.ceil(bytes / BLOCK))
  for (const p of all) {
    const node = p.node
    if (node.type === 'file' && !node.embedded) p.dataBlock = physAlloc(node.content.length)
    if (node.type === 'raw-name') p.dataBlock = physAlloc(node.content.length)
    if (node.type === 'extents') {
      p.extentBlocks = node.extents.map((e) => (e.kind === 'unallocated' ? 0 : physAlloc(e.length)))
      if (node.continueAfter !== undefined) p.continuationBlock = physAlloc(BLOCK)
    }
  }
  const partitionBlocks = physCursor + 1
  const totalBlocks = PARTITION_START + partitionBlocks + 1
  const physicalOffset = (block: number) => (PARTITION_START + block) * BLOCK
  const metaOffset = (block: number) => physicalOffset(metadata ? 2 + block : block)

  const fd = openSync(path, 'w')
  try {
    ftruncateSync(fd, totalBlocks * BLOCK)
    const put = (bytes: Uint8Array, offset: number) => writeSync(fd, bytes, 0, bytes.length, offset)
    const version = options.revision >= 0x0200 ? 3 : 2

    // Volume recognition sequence.
    ;['BEA01', version === 3 ? 'NSR03' : 'NSR02', 'TEA01'].forEach((id, i) => put(bytesOf([0], ascii(id), [1]), (16 + i) * BLOCK))

    // Volume descriptor sequence, main and reserve.
    for (const start of [MAIN_SEQUENCE, RESERVE_SEQUENCE]) {
      const pvd = new Uint8Array(512)
      le32(pvd, 16, 1)
      dstring(pvd, 24, 32, options.label ?? 'CRAFTED')
      put(tag(1, start, pvd, version), start * BLOCK)
      const pd = new Uint8Array(512)
      le32(pd, 16, 2)
      le16(pd, 20, 1)
      entity(pd, 24, version === 3 ? '+NSR03' : '+NSR02')
      le32(pd, 184, 1)
      le32(pd, 188, PARTITION_START)
      le32(pd, 192, partitionBlocks)
      put(tag(5, start + 1, pd, version), (start + 1) * BLOCK)
      const maps = [bytesOf([1, 6], le16Bytes(1), le16Bytes(0))]
      if (metadata) {
        const map = new Uint8Array(64)
        map.set([2, 64])
        entity(map, 4, '*UDF Metadata Partition', options.revision)
        le16(map, 36, 1)
        le16(map, 38, 0)
        le32(map, 40, 0)
        le32(map, 44, 1)
        le32(map, 48, 0xffffffff)
        le32(map, 52, 32)
        le16(map, 56, 1)
        maps.push(map)
      }
      const table = bytesOf(...maps)
      const lvd = new Uint8Array(440 + table.length)
      le32(lvd, 16, 3)
      dstring(lvd, 84, 128, options.label ?? 'CRAFTED')
      le32(lvd, 212, BLOCK)
      entity(lvd, 216, '*OSTA UDF Compliant', options.revision)
      longAd(lvd, 248, BLOCK, fileSetBlock, metaRef)
      le32(lvd, 264, table.length)
      le32(lvd, 268, maps.length)
      lvd.set(table, 440)
      put(tag(6, start + 2, lvd, version), (start + 2) * BLOCK)
      put(tag(8, start + 3, new Uint8Array(512), version), (start + 3) * BLOCK)
    }
    const avdp = new Uint8Array(512)
    le32(avdp, 16, 4 * BLOCK)
    le32(avdp, 20, MAIN_SEQUENCE)
    le32(avdp, 24, 4 * BLOCK)
    le32(avdp, 28, RESERVE_SEQUENCE)
    put(tag(2, ANCHOR, avdp, version), ANCHOR * BLOCK)
    put(tag(2, totalBlocks - 1, avdp, version), (totalBlocks - 1) * BLOCK)

    if (metadata) {
      for (const [block, type] of [[0, 250], [1, 251]]) {
        put(fileEntry(block, type, metaBlocks * BLOCK, 0, shortAds([[0, metaBlocks * BLOCK, 2]]), version), physicalOffset(block))
      }
    }

    const fsd = new Uint8Array(512)
    dstring(fsd, 112, 128, options.label ?? 'CRAFTED')
    dstring(fsd, 304, 32, options.label ?? 'CRAFTED')
    longAd(fsd, 400, BLOCK, root.entryBlock, metaRef)
    entity(fsd, 416, '*OSTA UDF Compliant', options.revision)
    put(tag(256, fileSetBlock, fsd, version), metaOffset(fileSetBlock))

    for (const p of all) {
      const node = p.node
      const at = p.entryBlock
      if (node.type === 'dir') {
        const embedded = node.embedded === true
        const fids = fileIdentifiers(p, metaRef, embedded ? at : p.dataBlock, version)
        if (embedded) put(fileEntry(at, 4, fids.length, 3, fids, version), metaOffset(at))
        else {
          put(fileEntry(at, 4, fids.length, 0, shortAds([[0, fids.length, p.dataBlock]]), version), metaOffset(at))
          put(fids, metaOffset(p.dataBlock))
        }
      } else if (node.type === 'file' || node.type === 'raw-name') {
        if (node.type === 'file' && node.embedded) put(fileEntry(at, 5, node.content.length, 3, node.content, version), metaOffset(at))
        else {
          put(fileEntry(at, 5, node.content.length, 1, longAds([[0, node.content.length, p.dataBlock, 0]]), version), metaOffset(at))
          put(node.content, physicalOffset(p.dataBlock))
        }
      } else if (node.type === 'extents') {
        const ads: [number, number, number, number][] = node.extents.map((e, i) => [['recorded', 'allocated', 'unallocated'].indexOf(e.kind), e.length, p.extentBlocks[i], 0])
        const split = node.continueAfter ?? ads.length
        const inEntry = ads.slice(0, split)
        if (split < ads.length) {
          inEntry.push([3, BLOCK, p.continuationBlock, 0])
          const rest = longAds(ads.slice(split))
          const aed = new Uint8Array(24 + rest.length)
          le32(aed, 20, rest.length)
          aed.set(rest, 24)
          put(tag(258, p.continuationBlock, aed, version), physicalOffset(p.continuationBlock))
        }
        put(fileEntry(at, 5, node.size, 1, longAds(inEntry), version), metaOffset(at))
        node.extents.forEach((e, i) => {
          if (e.kind !== 'recorded' || e.marker === undefined) return
          put(e.marker, physicalOffset(p.extentBlocks[i]))
          put(e.marker, physicalOffset(p.extentBlocks[i]) + e.length - e.marker.length)
        })
      }
    }
  } finally {
    closeSync(fd)
  }

  function fileEntry(block: number, fileType: number, size: number, adType: number, ads: Uint8Array, tagVersion: number): Uint8Array {
    const extended = options.revision >= 0x0200
    const base = extended ? 216 : 176
    const entry = new Uint8Array(base + ads.length)
    le16(entry, 16 + 4, 4)
    le16(entry, 16 + 8, 1)
    entry[16 + 11] = fileType
    le16(entry, 16 + 18, adType)
    le32(entry, 36, 0xffffffff)
    le32(entry, 40, 0xffffffff)
    le16(entry, 48, 1)
    le64(entry, 56, size)
    if (extended) {
      le64(entry, 64, size)
      for (const at of [80, 92, 104, 116]) timestamp(entry, at, FIXED_DATE)
      le32(entry, 212, ads.length)
    } else {
      for (const at of [72, 84, 96]) timestamp(entry, at, FIXED_DATE)
      le32(entry, 172, ads.length)
    }
    entry.set(ads, base)
    return tag(extended ? 266 : 261, block, entry, tagVersion)
  }
}

/** The FIDs of a directory: the parent entry, then one per child. */
function fileIdentifiers(dir: Placed, metaRef: number, firstBlock: number, tagVersion = 3): Uint8Array {
  const parts: Uint8Array[] = []
  let offset = 0
  const add = (characteristics: number, entryBlock: number, name: Uint8Array) => {
    const length = 38 + name.length
    const fid = new Uint8Array((length + 3) & ~3)
    le16(fid, 16, 1)
    fid[18] = characteristics
    fid[19] = name.length
    longAd(fid, 20, BLOCK, entryBlock, metaRef)
    fid.set(name, 38)
    parts.push(tag(257, firstBlock + Math.floor(offset / BLOCK), fid, tagVersion))
    offset += fid.length
  }
  add(0x0a, (dir.parent ?? dir).entryBlock, new Uint8Array(0))
  for (const child of dir.children) {
    const node = child.node
    if (node.type === 'up-link') {
      let target: Placed = dir
      for (let i = 0; i < node.target; i++) target = target.parent ?? target
      add(0x02, target.entryBlock, osta(node.name))
    } else {
      add(node.type === 'dir' ? 0x02 : 0, child.entryBlock, node.type === 'raw-name' ? node.name : osta(node.name))
    }
  }
  return bytesOf(...parts)
}

/** OSTA compressed Unicode: 8-bit when every character fits, else 16-bit big-endian. */
export function osta(name: string): Uint8Array {
  const units = [...name].flatMap((ch) => {
    const code = ch.codePointAt(0) ?? 0
    return code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code]
  })
  if (units.every((u) => u < 256)) return bytesOf([8], units)
  return bytesOf([16], units.flatMap((u) => [u >> 8, u & 0xff]))
}

function tag(id: number, location: number, body: Uint8Array, version: number, crcLength = body.length - 16): Uint8Array {
  const out = body.slice()
  le16(out, 0, id)
  le16(out, 2, version)
  le16(out, 6, 1)
  le16(out, 8, descriptorCrc(out.subarray(16, 16 + crcLength)))
  le16(out, 10, crcLength)
  le32(out, 12, location)
  let sum = 0
  for (let i = 0; i < 16; i++) if (i !== 4) sum += out[i]
  out[4] = sum & 0xff
  return out
}

function shortAds(list: [number, number, number][]): Uint8Array {
  return bytesOf(...list.map(([kind, length, block]) => bytesOf(le32Bytes((kind << 30) | length), le32Bytes(block))))
}

function longAds(list: [number, number, number, number][]): Uint8Array {
  return bytesOf(...list.map(([kind, length, block, ref]) => bytesOf(le32Bytes(((kind << 30) | length) >>> 0), le32Bytes(block), le16Bytes(ref), new Uint8Array(6))))
}

function longAd(out: Uint8Array, at: number, length: number, block: number, ref: number): void {
  le32(out, at, length)
  le32(out, at + 4, block)
  le16(out, at + 8, ref)
}

function entity(out: Uint8Array, at: number, identifier: string, revision = 0): void {
  out.set(ascii(identifier), at + 1)
  le16(out, at + 24, revision)
}

function dstring(out: Uint8Array, at: number, field: number, text: string): void {
  const encoded = osta(text)
  out.set(encoded, at)
  out[at + field - 1] = encoded.length
}

function timestamp(out: Uint8Array, at: number, date: Date): void {
  le16(out, at, 0x1000)
  le16(out, at + 2, date.getUTCFullYear())
  out.set([date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()], at + 4)
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0))
}

function bytesOf(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function le16(out: Uint8Array, at: number, value: number): void {
  new DataView(out.buffer, out.byteOffset).setUint16(at, value, true)
}

function le32(out: Uint8Array, at: number, value: number): void {
  new DataView(out.buffer, out.byteOffset).setUint32(at, value >>> 0, true)
}

function le64(out: Uint8Array, at: number, value: number): void {
  new DataView(out.buffer, out.byteOffset).setBigUint64(at, BigInt(value), true)
}

function le16Bytes(value: number): Uint8Array {
  const out = new Uint8Array(2)
  le16(out, 0, value)
  return out
}

function le32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4)
  le32(out, 0, value)
  return out
}
