/**
 * FAT32 without mounting: plan a volume from a tree, write it in one streamed pass, and
 * read volumes back. See planner.ts, writer.ts and reader.ts.
 */
export { planFat32, type Fat32Plan, type Fat32PlanOptions } from './planner'
export { MAX_FILE_SIZE, type FatSourceEntry, type FileContents, type PositionalContents } from './tree'
export { writeFat32, type WriteFat32Options } from './writer'
export { MAX_EXTENT_BYTES, openFat32, type Fat32Entry, type Fat32Volume, type Fat32VolumeInfo, type FileExtent } from './reader'
export { minimumVolumeBytes } from './geometry'
