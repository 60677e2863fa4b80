/**
 * Zeroed bytes starting on a page boundary. The kernel copies between the page cache and a
 * buffer about twice as fast when the buffer is aligned as the pages are (measured on this
 * kind of machine: 2 GiB read in 4 MiB reads at 6-7 GiB/s into an ordinary buffer, 13-15 GiB/s
 * into an aligned one), which is why dd aligns its buffer; and writes that bypass the page
 * cache (see direct-io.ts) need it. Node places a large ArrayBuffer 16 bytes past a page
 * boundary and has no aligned allocation; a WebAssembly memory is page-aligned by
 * construction. Each call reserves address space, so this is for buffers that live long and
 * are reused (a writer's blocks), not for one read.
 */
const WASM_PAGE_BYTES = 64 * 1024

/** The memory's buffer never changes: it would only on growth, which nothing here asks for. */
const alignedBuffers = new WeakSet<ArrayBufferLike>()

export function alignedBytes(length: number): Uint8Array {
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(length / WASM_PAGE_BYTES)) })
  alignedBuffers.add(memory.buffer)
  return new Uint8Array(memory.buffer, 0, length)
}

/** Whether `view` starts at a multiple of `alignment` bytes in memory (a power of two up to 64 KiB). */
export function startsAligned(view: Uint8Array, alignment: number): boolean {
  return alignedBuffers.has(view.buffer) && view.byteOffset % alignment === 0
}
