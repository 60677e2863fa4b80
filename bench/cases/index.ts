import type { Benchmark } from '../harness'
import { diskWriteBenchmark } from './disk-write'
import { fat32Benchmark } from './fat32'
import { wimBenchmark } from './wim'

/** Every benchmark `npm run bench` runs, in order. */
export const BENCHMARKS: Benchmark[] = [wimBenchmark, fat32Benchmark, diskWriteBenchmark]
