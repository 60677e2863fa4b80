import { AppError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import type { OperationContext } from '../../jobs/operation-context'
import { readExactly, type RandomAccessReader } from '../../io/random-access'
import { SequentialWriter, throwIfAborted } from '../../io/sequential-writer'
import type { ByteTarget } from '../byte-target'

/** Written last: holds the MBR and primary GPT of any image, so a drive is only recognisable once the rest is in place. */
const HEAD_BYTES = 1024 * 1024
/** Zeroed when the image ends before it: where an old backup GPT would still be found. */
const TAIL_BYTES = 1024 * 1024
const ISO_SECTOR = 2048

export type ImageKind = 'raw' | 'hybrid-iso'

/**
 * What kind of image a file is. An ISO 9660 image boots from a stick only when it is
 * "hybrid" (it also carries an MBR); a Windows ISO is not, and written raw it would give a
 * stick no PC boots from, so it is refused here with a pointer to the media builder.
 */
export async function inspectImage(image: RandomAccessReader): Promise<ImageKind> {
  if (image.size === 0) throw new AppError('VALIDATION', `${image.name} is empty`, { path: image.name })
  const isIso = image.size >= 17 * ISO_SECTOR && new TextDecoder().decode(await readExactly(image, 16 * ISO_SECTOR + 1, 5, 'ISO 9660 volume descriptor')) === 'CD001'
  if (!isIso) return 'raw'
  const mbr = await readExactly(image, 510, 2, 'MBR boot signature')
  if (mbr[0] === 0x55 && mbr[1] === 0xaa) return 'hybrid-iso'
  throw new AppError(
    'UNSUPPORTED',
    `${image.name} is an ISO image without a hybrid MBR (a Windows ISO, for example): written to a drive as it is, it would not boot. Make boot media from it on the Media page instead.`,
    { path: image.name, reason: 'not a hybrid ISO' },
  )
}

/** Bytes the image takes on the target: rounded up to whole sectors (the rest of the last sector is zeros). */
export function paddedImageSize(imageSize: number, sectorSize: number): number {
  return Math.ceil(imageSize / sectorSize) * sectorSize
}

/**
 * Copies the image onto the target. Order: the first and last MiB of the target are
 * zeroed (old tables gone), the image after its first MiB is streamed (see SequentialWriter),
 * and the first MiB goes last, after a flush: cancelled or failed at any point, the target
 * holds no partition table that a PC or OS would trust. (Reading it back is the caller's:
 * see JournalTarget.)
 */
export async function writeImage(target: ByteTarget, image: RandomAccessReader, ctx: OperationContext): Promise<void> {
  const sectorSize = target.sectorSize ?? 512
  const padded = paddedImageSize(image.size, sectorSize)
  if (padded > target.size) {
    throw new AppError('VALIDATION', `${image.name} (${formatBytes(image.size)}) does not fit on ${target.name} (${formatBytes(target.size)})`, {
      path: image.name,
      device: target.name,
      size: image.size,
    })
  }
  const headLength = Math.min(HEAD_BYTES, padded)
  const zeroTail = target.size - TAIL_BYTES >= padded
  ctx.setTotal(headLength + (zeroTail ? TAIL_BYTES : 0) + padded)
  const head = new Uint8Array(headLength)
  head.set(await readExactly(image, 0, Math.min(headLength, image.size), 'image start'))

  await target.write(new Uint8Array(headLength), 0)
  ctx.advance(headLength)
  if (zeroTail) {
    await target.write(new Uint8Array(TAIL_BYTES), target.size - TAIL_BYTES)
    ctx.advance(TAIL_BYTES)
  }
  await target.flush()

  let reported = 0
  const out = new SequentialWriter(target, headLength, {
    signal: ctx.signal,
    onProgress: (done) => {
      ctx.advance(done - reported)
      reported = done
    },
  })
  try {
    await out.fillFrom(Math.max(0, image.size - headLength), async (chunk, at) => {
      const position = headLength + at
      const got = await image.read(chunk, position)
      if (got !== chunk.length) throw new AppError('IO', `${image.name} ended at byte ${position + got}, before its size of ${image.size} bytes (did it change?)`, { path: image.name, offset: position + got })
    })
    await out.zeros(padded - Math.max(image.size, headLength))
    await out.close()
  } catch (error) {
    await out.settle()
    throw error
  }
  throwIfAborted(ctx.signal)
  await target.flush()
  await target.write(head, 0)
  ctx.advance(headLength)
  await target.flush()
}
