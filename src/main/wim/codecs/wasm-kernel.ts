import { AppError } from '../../../shared/errors'

/** Compiled modules, one per kernel and thread, made on first use. */
const compiled = new WeakMap<Uint8Array<ArrayBuffer>, WebAssembly.Module>()

/**
 * A new instance of a WebAssembly kernel (see scripts/kernels.mjs), with its own memory: each
 * compressor and decompressor owns one, as it owns its scratch arrays. `Exports` describes
 * what it exports.
 */
export function instantiateKernel<Exports>(bytes: Uint8Array<ArrayBuffer>): Exports & { memory: WebAssembly.Memory } {
  let module = compiled.get(bytes)
  if (!module) {
    module = new WebAssembly.Module(bytes)
    compiled.set(bytes, module)
  }
  return new WebAssembly.Instance(module, { env: { abort } }).exports as unknown as Exports & { memory: WebAssembly.Memory }
}

/** What AssemblyScript calls when a kernel cannot go on (its memory could not grow). */
function abort(): never {
  throw new AppError('INTERNAL', 'A WebAssembly kernel stopped: it could not get the memory it needs')
}
