/**
 * Where to end a block (and start new Huffman codes): when the data changes character. The
 * splitter sorts what a greedy parse would emit into a few kinds (literals by their top two
 * bits and lowest bit; short and long matches) and compares each new batch of observations
 * with the block so far; a large enough difference in distribution ends the block.
 */

const LITERAL_KINDS = 8
const KINDS = LITERAL_KINDS + 2
/** Observations per batch: enough to tell a real change from noise. */
const BATCH = 400

export class BlockSplitter {
  private readonly batch = new Uint32Array(KINDS)
  private readonly block = new Uint32Array(KINDS)
  private batchCount = 0
  private blockCount = 0

  reset(): void {
    this.batch.fill(0)
    this.block.fill(0)
    this.batchCount = 0
    this.blockCount = 0
  }

  observeLiteral(byte: number): void {
    this.batch[((byte >>> 5) & 6) | (byte & 1)]++
    this.batchCount++
  }

  observeMatch(length: number): void {
    this.batch[LITERAL_KINDS + (length >= 5 ? 1 : 0)]++
    this.batchCount++
  }

  batchFull(): boolean {
    return this.batchCount >= BATCH
  }

  /**
   * Whether the batch differs enough from the block to end the block before it; if not,
   * the batch joins the block. The sum of absolute differences of the two distributions is
   * compared with 7/8, all scaled by both counts to stay in integers.
   */
  shouldEnd(): boolean {
    const { batch, block, batchCount, blockCount } = this
    if (blockCount > 0) {
      let delta = 0
      for (let k = 0; k < KINDS; k++) delta += Math.abs(batch[k] * blockCount - block[k] * batchCount)
      if (delta >= Math.floor((batchCount * 7) / 8) * blockCount) return true
    }
    for (let k = 0; k < KINDS; k++) block[k] += batch[k]
    this.blockCount += batchCount
    batch.fill(0)
    this.batchCount = 0
    return false
  }
}
