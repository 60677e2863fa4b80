import type { Benchmark } from '../harness'

/** Every benchmark `npm run bench` runs, in order. */
export const BENCHMARKS: Benchmark[] = []
