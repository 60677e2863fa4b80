import type { DriveLayoutReport, PartitionRow } from '../../../shared/drives'
import type { ByteTarget } from '../byte-target'
import { describeLayout, readPartitionTable, type DiskLayout, type SectorSize } from '../partition'

/** A layout as the front ends show it: rows of plain JSON (GPT attributes are already words there). */
export function layoutReport(target: ByteTarget, id: string, layout: DiskLayout | null): DriveLayoutReport {
  const rows: PartitionRow[] = layout ? describeLayout(layout) : []
  return {
    target: id,
    device: target.name,
    sizeBytes: target.size,
    sectorSize: layout?.sectorSize ?? target.sectorSize ?? 512,
    table: layout?.table ?? null,
    diskId: !layout ? null : layout.table === 'gpt' ? layout.diskGuid : layout.diskSignature.toString(16).toUpperCase().padStart(8, '0'),
    partitions: rows,
    warnings:
      layout?.table === 'gpt' && layout.damage
        ? [
            `The table was read from the ${layout.damage.readFrom} copy:`,
            ...layout.damage.problems.map((p) => `${p.structure} at byte ${p.offset}: ${p.message}`),
          ]
        : [],
  }
}

/** Reads the partition table; a damaged one is AppError('CORRUPT') naming the structure and offset. */
export async function readLayout(target: ByteTarget, id: string): Promise<DriveLayoutReport> {
  const sectorSize = target.sectorSize === 512 || target.sectorSize === 4096 ? (target.sectorSize as SectorSize) : undefined
  return layoutReport(target, id, await readPartitionTable(target, sectorSize ? { sectorSize } : {}))
}
