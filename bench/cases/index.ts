import type { Benchmark } from '../harness'
import { fat32Benchmark } from './fat32'

/** Every benchmark `npm run bench` runs, in order. */
export const BENCHMARKS: Benchmark[] = [fat32Benchmark]
