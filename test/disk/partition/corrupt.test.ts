import { closeSync, openSync, readSync, truncateSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { FileTarget } from '../../../src/main/disk/byte-target'
import { planLayout, readPartitionTable, writePartitionTable, type DiskLayout, type LayoutKind } from '../../../src/main/disk/partition'
import { AppError } from '../../../src/shared/errors'
import { tempDir } from '../../support/temp'
import { tableOnly } from './peers'

/**
 * Damaged tables. The damage is made with raw byte edits here (CRCs recomputed with zlib
 * where a test wants a well-formed header saying something absurd), never with our code.
 */
const GB = 1e9
const MiB = 1024 * 1024
const PRIMARY_HEADER = 512
const PRIMARY_ARRAY = 1024

const dir = tempDir('imaging-partition-corrupt-')
let serial = 0

async function writtenImage(kind: LayoutKind, sizeBytes: number): Promise<{ path: string; layout: DiskLayout }> {
  const path = join(dir, `disk-${serial++}.img`)
  const layout = planLayout(kind, sizeBytes)
  const target = await FileTarget.create(path, sizeBytes)
  await writePartitionTable(target, layout)
  await target.close()
  return { path, layout }
}

async function read(path: string): Promise<DiskLayout | null> {
  const target = await FileTarget.openExisting(path, { writable: false })
  try {
    return await readPartitionTable(target)
  } finally {
    await target.close()
  }
}

async function readError(path: string): Promise<AppError> {
  const error = await read(path).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

function bytesAt(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r')
  const buffer = Buffer.alloc(length)
  readSync(fd, buffer, 0, length, offset)
  closeSync(fd)
  return buffer
}

function writeAt(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+')
  writeSync(fd, bytes, 0, bytes.length, offset)
  closeSync(fd)
}

function flipByte(path: string, offset: number): void {
  writeAt(path, offset, Uint8Array.of(bytesAt(path, offset, 1)[0] ^ 0x5a))
}

/** Edits a GPT header, then makes its CRC right again so only the edited meaning is wrong. */
function editHeader(path: string, headerOffset: number, edit: (header: Buffer) => void): void {
  const header = bytesAt(path, headerOffset, 92)
  edit(header)
  header.writeUInt32LE(0, 16)
  header.writeUInt32LE(crc32(header), 16)
  writeAt(path, headerOffset, header)
}

/** Edits an entry of a GPT copy and makes the array CRC and the header CRC right again. */
function editEntry(path: string, headerOffset: number, index: number, edit: (entry: Buffer) => void): void {
  const header = bytesAt(path, headerOffset, 92)
  const arrayOffset = Number(header.readBigUInt64LE(72)) * 512
  const array = bytesAt(path, arrayOffset, 128 * 128)
  edit(array.subarray((index - 1) * 128, index * 128))
  writeAt(path, arrayOffset, array)
  editHeader(path, headerOffset, (h) => h.writeUInt32LE(crc32(array), 88))
}

function backupHeaderOffset(layout: DiskLayout): number {
  return layout.diskSizeBytes - 512
}

describe('damaged GPTs', () => {
  it('reads the backup when a byte of the primary header is flipped, and says so', async () => {
    const { path, layout } = await writtenImage('uefi', 32 * GB)
    flipByte(path, PRIMARY_HEADER + 60)
    const back = await read(path)
    expect(tableOnly(back!)).toEqual(tableOnly(layout))
    expect(back).toMatchObject({ damage: { readFrom: 'backup', problems: [{ structure: 'primary GPT header', offset: PRIMARY_HEADER }] } })
    expect(back?.table === 'gpt' && back.damage?.problems[0].message).toMatch(/CRC32/)
  })

  it('reads the backup when a byte of the primary entry array is flipped', async () => {
    const { path, layout } = await writtenImage('uefi', 32 * GB)
    flipByte(path, PRIMARY_ARRAY + 128 + 20)
    const back = await read(path)
    expect(tableOnly(back!)).toEqual(tableOnly(layout))
    expect(back).toMatchObject({ damage: { readFrom: 'backup', problems: [{ structure: 'primary GPT entry array', offset: PRIMARY_ARRAY }] } })
  })

  it('reads the primary and reports a damaged backup', async () => {
    const { path, layout } = await writtenImage('usb-uefi', 1 * GB)
    flipByte(path, backupHeaderOffset(layout) + 30)
    expect(await read(path)).toMatchObject({
      partitions: [{ firstLba: 2048 }],
      damage: { readFrom: 'primary', problems: [{ structure: 'backup GPT header', offset: backupHeaderOffset(layout) }] },
    })
  })

  it('reports a backup that is not at the end, as on an image written to a larger disk', async () => {
    const { path } = await writtenImage('usb-uefi', 1 * GB)
    truncateSync(path, 2 * GB)
    const back = await read(path)
    expect(back).toMatchObject({ damage: { readFrom: 'primary', problems: [{ structure: 'backup GPT header', offset: 1 * GB - 512 }] } })
    expect(back?.table === 'gpt' && back.damage?.problems[0].message).toMatch(/not at the disk's last LBA/)
  })

  it('is CORRUPT, naming both copies, when both headers are damaged', async () => {
    const { path, layout } = await writtenImage('uefi', 32 * GB)
    flipByte(path, PRIMARY_HEADER + 60)
    flipByte(path, backupHeaderOffset(layout) + 60)
    const error = await readError(path)
    expect(error.code).toBe('CORRUPT')
    expect(error.details).toMatchObject({ path, structure: 'primary GPT header', offset: PRIMARY_HEADER, backupStructure: 'backup GPT header', backupOffset: backupHeaderOffset(layout) })
    expect(error.message).toContain(path)
  })

  it('is CORRUPT when the image is truncated', async () => {
    const { path } = await writtenImage('uefi', 32 * GB)
    truncateSync(path, 16 * GB)
    const error = await readError(path)
    expect(error).toMatchObject({ code: 'CORRUPT', details: { structure: 'primary GPT header', offset: PRIMARY_HEADER } })
    expect(error.message).toMatch(/truncated/)

    truncateSync(path, 3000)
    expect(await readError(path)).toMatchObject({ code: 'CORRUPT', details: { path, structure: 'primary GPT header' } })
  })

  it('is CORRUPT when the entry array points outside the disk', async () => {
    const { path, layout } = await writtenImage('uefi', 32 * GB)
    for (const at of [PRIMARY_HEADER, backupHeaderOffset(layout)]) editHeader(path, at, (h) => h.writeBigUInt64LE(10n ** 12n, 72))
    const error = await readError(path)
    expect(error).toMatchObject({ code: 'CORRUPT', details: { structure: 'primary GPT header', offset: PRIMARY_HEADER, field: 'entriesLba' } })
    expect(error.message).toMatch(/outside the disk/)
  })

  it.each([
    ['entryCount', 80, 0xffffffff],
    ['entryCount', 80, 0],
    ['entrySize', 84, 0x80000000],
    ['entrySize', 84, 100],
  ])('is CORRUPT, allocating nothing absurd, when %s is %i', async (field, at, value) => {
    const { path, layout } = await writtenImage('usb-uefi', 1 * GB)
    for (const header of [PRIMARY_HEADER, backupHeaderOffset(layout)]) editHeader(path, header, (h) => h.writeUInt32LE(value, at))
    expect(await readError(path)).toMatchObject({ code: 'CORRUPT', details: { structure: 'primary GPT header', field } })
  })

  it('is CORRUPT when two partitions overlap, naming the entry', async () => {
    const { path, layout } = await writtenImage('uefi', 32 * GB)
    const insideMsr = BigInt(layout.partitions[1].firstLba + 10)
    for (const header of [PRIMARY_HEADER, backupHeaderOffset(layout)]) editEntry(path, header, 3, (entry) => entry.writeBigUInt64LE(insideMsr, 32))
    const error = await readError(path)
    expect(error).toMatchObject({ code: 'CORRUPT', details: { structure: 'primary GPT entry 3', offset: PRIMARY_ARRAY + 2 * 128 } })
    expect(error.message).toMatch(/overlaps partition 2/)
  })

  it('is CORRUPT when an entry holds a 64-bit LBA no disk reaches', async () => {
    const { path, layout } = await writtenImage('usb-uefi', 1 * GB)
    for (const header of [PRIMARY_HEADER, backupHeaderOffset(layout)]) editEntry(path, header, 1, (entry) => entry.writeBigUInt64LE(1n << 60n, 40))
    const error = await readError(path)
    expect(error).toMatchObject({ code: 'CORRUPT', details: { structure: 'primary GPT entry 1', field: 'lastLba' } })
  })

  it('is CORRUPT when a GPT has no protective MBR, or a protective MBR has no GPT', async () => {
    const noMbr = await writtenImage('usb-uefi', 1 * GB)
    writeAt(noMbr.path, 510, Uint8Array.of(0, 0))
    expect(await readError(noMbr.path)).toMatchObject({ code: 'CORRUPT', details: { structure: 'MBR', offset: 0 } })

    const noGpt = await writtenImage('usb-uefi', 1 * GB)
    writeAt(noGpt.path, PRIMARY_HEADER, new Uint8Array(8))
    writeAt(noGpt.path, backupHeaderOffset(noGpt.layout), new Uint8Array(8))
    expect(await readError(noGpt.path)).toMatchObject({ code: 'CORRUPT', details: { structure: 'GPT header', offset: 512 } })
  })

  it('never fails other than CORRUPT, whatever bytes of the tables are damaged', async () => {
    const { path, layout } = await writtenImage('usb-uefi', 300 * MiB)
    const tableBytes = [
      [0, 34 * 512],
      [layout.diskSizeBytes - 33 * 512, 33 * 512],
    ]
    let seed = 12345
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const outcomes = new Set<string>()
    for (let round = 0; round < 150; round++) {
      for (let flips = 0; flips < 3; flips++) {
        const [start, length] = tableBytes[random(2)]
        flipByte(path, start + random(length))
      }
      const outcome = await read(path).then(
        (l) => (l === null ? 'none' : l.table),
        (e: unknown) => (e instanceof AppError ? e.code : `crash: ${String(e)}`),
      )
      expect(outcome).not.toMatch(/^crash/)
      outcomes.add(outcome)
    }
    expect(outcomes).toContain('CORRUPT')
  })
})

describe('damaged MBRs', () => {
  it('is CORRUPT when a partition runs past the end of a truncated image', async () => {
    const { path } = await writtenImage('bios', 32 * GB)
    truncateSync(path, 20 * GB)
    const error = await readError(path)
    expect(error).toMatchObject({ code: 'CORRUPT', details: { path, structure: 'MBR entry 2', offset: 446 + 16 } })
    expect(error.message).toMatch(/beyond the disk/)
  })

  it('is CORRUPT when a status byte is neither 0x00 nor 0x80', async () => {
    const { path } = await writtenImage('bios', 32 * GB)
    writeAt(path, 446 + 16 * 2, Uint8Array.of(0x12))
    expect(await readError(path)).toMatchObject({ code: 'CORRUPT', details: { structure: 'MBR entry 3', offset: 446 + 32, field: 'status' } })
  })

  it('is CORRUPT when two partitions overlap', async () => {
    const { path, layout } = await writtenImage('bios', 32 * GB)
    const start = Buffer.alloc(4)
    start.writeUInt32LE(layout.partitions[0].firstLba + 8)
    writeAt(path, 446 + 16 + 8, start)
    const error = await readError(path)
    expect(error).toMatchObject({ code: 'CORRUPT', details: { structure: 'MBR entry 2', offset: 446 + 16 } })
    expect(error.message).toMatch(/overlaps partition 1/)
  })
})
