import type { ByteTarget } from '../byte-target'
import { corrupt, type Origin } from './corrupt'

/** Exactly `length` bytes at the origin's offset; a target that ends sooner is truncated. */
export async function readExact(target: ByteTarget, origin: Origin, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length)
  const got = origin.offset + length <= target.size ? await target.read(bytes, origin.offset) : Math.max(0, target.size - origin.offset)
  if (got < length) throw corrupt(origin, `the target ends after ${got} of its ${length} bytes (truncated?)`)
  return bytes
}
