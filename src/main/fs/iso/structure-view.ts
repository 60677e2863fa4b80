import { AppError } from '../../../shared/errors'

/** Where a buffer was read from, so damage can be reported as file + absolute byte offset. */
export interface Origin {
  readonly file: string
  readonly offset: number
}

/** The one error for a damaged image: names the file, the structure and the absolute byte offset. */
export function corrupt(origin: Origin, structure: string, problem: string, relative = 0): AppError {
  const offset = origin.offset + relative
  return new AppError('CORRUPT', `${origin.file}: damaged ${structure} at byte ${offset}: ${problem}`, {
    path: origin.file,
    structure,
    offset,
  })
}

/** A structure that is valid but uses a feature this reader does not implement. */
export function unsupported(origin: Origin, structure: string, problem: string, relative = 0): AppError {
  const offset = origin.offset + relative
  return new AppError('UNSUPPORTED', `${origin.file}: ${structure} at byte ${offset} uses ${problem}, which this reader does not support`, {
    path: origin.file,
    structure,
    offset,
  })
}

/**
 * The bytes of one on-disk structure with where they came from. Every field read is
 * bounds-checked, so a length or offset taken from a hostile image can only ever produce a
 * CORRUPT error naming this structure, never a RangeError or a read of unrelated memory.
 */
export class StructureView {
  private readonly view: DataView

  constructor(
    readonly bytes: Uint8Array,
    readonly origin: Origin,
    readonly structure: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  get length(): number {
    return this.bytes.length
  }

  fail(problem: string, relative = 0): never {
    throw corrupt(this.origin, this.structure, problem, relative)
  }

  private need(at: number, length: number): void {
    if (!Number.isInteger(at) || at < 0 || length < 0 || at + length > this.bytes.length) {
      this.fail(`field of ${length} bytes at +${at} lies outside its ${this.bytes.length} bytes`, Math.max(0, Math.min(at, this.bytes.length)))
    }
  }

  u8(at: number): number {
    this.need(at, 1)
    return this.bytes[at]
  }

  u16(at: number): number {
    this.need(at, 2)
    return this.view.getUint16(at, true)
  }

  u16be(at: number): number {
    this.need(at, 2)
    return this.view.getUint16(at, false)
  }

  u32(at: number): number {
    this.need(at, 4)
    return this.view.getUint32(at, true)
  }

  i16(at: number): number {
    this.need(at, 2)
    return this.view.getInt16(at, true)
  }

  /** A 64-bit count; anything beyond 2^53 cannot be a real size or position here. */
  u64(at: number): number {
    this.need(at, 8)
    const value = this.view.getBigUint64(at, true)
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`64-bit field at +${at} holds ${value}, beyond any real size`, at)
    return Number(value)
  }

  /** Bytes of a field, sharing memory with this view. */
  slice(at: number, length: number): Uint8Array {
    this.need(at, length)
    return this.bytes.subarray(at, at + length)
  }

  /** A nested structure inside this one, reporting offsets in the same file. */
  sub(at: number, length: number, structure = this.structure): StructureView {
    return new StructureView(this.slice(at, length), { file: this.origin.file, offset: this.origin.offset + at }, structure)
  }
}
