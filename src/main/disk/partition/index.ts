/** Partition tables (GPT, MBR) and the standard Windows disk layouts. */
export type {
  DiskLayout,
  FileSystemKind,
  GptDamage,
  GptLayout,
  GptPartition,
  LayoutKind,
  MbrLayout,
  MbrPartition,
  PartitionRole,
  SectorSize,
  TableProblem,
} from './layout'
export { planLayout, type PlanOptions } from './plan-layout'
export { writePartitionTable, type WriteTableOptions } from './write-table'
export { readPartitionTable, type ReadTableOptions } from './read-table'
export { describeLayout, type LayoutRow } from './describe-layout'
export { GPT_TYPE, MBR_TYPE } from './partition-types'
