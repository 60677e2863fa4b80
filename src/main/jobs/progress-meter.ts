/** Rate and ETA from byte counts over a sliding window, so a stall shows up quickly. */
export class ProgressMeter {
  private readonly samples: Array<{ time: number; bytes: number }> = []

  constructor(private readonly windowMs = 5000) {}

  record(time: number, bytes: number): void {
    this.samples.push({ time, bytes })
    while (this.samples.length > 2 && time - this.samples[0]!.time > this.windowMs) this.samples.shift()
  }

  /** Bytes per second, or null until there is at least a quarter second of history. */
  rate(): number | null {
    const first = this.samples[0]
    const last = this.samples[this.samples.length - 1]
    if (!first || !last || last.time - first.time < 250) return null
    return ((last.bytes - first.bytes) * 1000) / (last.time - first.time)
  }

  etaSeconds(done: number, total: number | null): number | null {
    const rate = this.rate()
    if (total === null || rate === null || rate <= 0) return null
    return Math.max(0, (total - done) / rate)
  }

  reset(): void {
    this.samples.length = 0
  }
}
