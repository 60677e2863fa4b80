/**
 * The API contract: every capability of the app is one method here. Argument schemas are
 * checked at every boundary (IPC, HTTP, CLI); result types are shared by all front ends.
 * Adding a capability means adding a method here, implementing it in src/main/api, and the
 * typed client picks it up everywhere.
 */
import { z } from 'zod'
import type { DriveListing, Drive, DriveLayoutReport, WritePreparation } from './drives'
import type { EnvironmentReport } from './environment'
import type { JobDetail, JobSnapshot, LogLine } from './jobs'
import { MAX_MEDIA_LABEL_LENGTH, MEDIA_LAYOUTS, type MediaInspection } from './media'
import type { WimDirEntry, WimSummary } from './wim'
import { unattendOptionsSchema, type RegionalSettings, type UnattendPreview } from './unattend'

export interface MethodDef<A extends z.ZodType, R> {
  readonly summary: string
  readonly args: A
  /** Phantom: carries the result type, never set at run time. */
  readonly result?: R
}

function method<R>() {
  return <A extends z.ZodType>(summary: string, args: A): MethodDef<A, R> => ({ summary, args })
}

/** An absolute path on any host OS (POSIX, drive-letter or UNC). */
export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be an absolute path')

export const jobId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'is not a job id')

const none = z.strictObject({})

/** An image of a WIM: its 1-based index, or its name. */
export const imageRef = z.union([z.number().int().min(1).max(100_000), z.string().trim().min(1).max(256)])

const compression = z.enum(['none', 'xpress', 'lzx', 'lzms'])
const chunkSize = z.number().int().min(4096).max(2 ** 30)
const imageName = z.string().trim().min(1).max(256).refine((n) => !/^\d+$/.test(n), 'must not be only digits (it would read as an index)')

/** A path inside an image, with \\ or / separators. */
const imagePath = z.string().max(32_768).refine((p) => !p.includes('\0'), 'must not contain NUL')

// ---- drives: reading and writing drives (issue 5) ----

/** A drive id from drives.list: a device path, or `file:` and an image file's absolute path. */
const driveTarget = z.string().min(1).max(4200).refine((t) => !t.includes('\0'), 'must not contain NUL')
const layoutKind = z.enum(['uefi', 'bios', 'usb-uefi', 'usb-bios-uefi'])
const volumeLabel = z.string().trim().min(1).max(36)
/** Size of an image file the write creates (it does not exist yet): 1 MiB to 64 TiB. */
const createSize = z.number().int().min(1024 * 1024).max(2 ** 46)
const confirmation = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'is not a confirmation token'), typed: z.string().max(256).optional() })

const partitionArgs = { layout: layoutKind, label: volumeLabel.optional() }
const restoreArgs = { fileSystem: z.enum(['fat32', 'exfat']).default('fat32'), label: volumeLabel.optional() }
const writeImageArgs = { image: absolutePath }
/** Shared by drives.prepareWrite and the call that carries the write out: they must agree. */
const writeCommon = { target: driveTarget, verify: z.boolean().optional(), createSizeBytes: createSize.optional() }

const mediaArgs = {
  source: absolutePath,
  layout: z.enum(MEDIA_LAYOUTS).default('usb-uefi'),
  editions: z.array(imageRef).min(1).max(1000).optional(),
  unattend: unattendOptionsSchema.optional(),
  label: z.string().trim().min(1).max(MAX_MEDIA_LABEL_LENGTH).optional(),
  splitMiB: z.number().int().min(1).max(4095).optional(),
}

export const writeOperation = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('partition'), ...partitionArgs }),
  z.strictObject({ kind: z.literal('restore'), ...restoreArgs }),
  z.strictObject({ kind: z.literal('writeImage'), ...writeImageArgs }),
  z.strictObject({ kind: z.literal('media'), ...mediaArgs }),
])

const driveMethods = {
  'drives.layout': method<DriveLayoutReport>()('Read the partition table of a drive or image file', z.strictObject({ target: driveTarget })),
  'drives.prepareWrite': method<WritePreparation>()(
    'Say what a destructive operation will erase on a drive, and issue the one-time token that confirms it',
    z.strictObject({ ...writeCommon, operation: writeOperation }),
  ),
  'drives.partition': method<JobSnapshot>()(
    'Write a standard partition layout (the USB layouts also get an empty FAT32 volume); a job',
    z.strictObject({ ...writeCommon, ...partitionArgs, confirmation }),
  ),
  'drives.restore': method<JobSnapshot>()(
    'Wipe a used stick back to one FAT32 or exFAT partition; a job',
    z.strictObject({ ...writeCommon, ...restoreArgs, confirmation }),
  ),
  'drives.writeImage': method<JobSnapshot>()(
    'Write a raw disk image or a hybrid ISO onto a drive, then read it back; a job',
    z.strictObject({ ...writeCommon, ...writeImageArgs, confirmation }),
  ),
} as const

// ---- end of drives block ----

const mediaMethods = {
  'media.inspect': method<MediaInspection>()('Recognise Windows installation media in an ISO or folder and read its editions', z.strictObject({ source: absolutePath })),
  'media.create': method<JobSnapshot>()(
    'Make bootable Windows installation media on a drive or image file, confirmed with drives.prepareWrite; a job',
    z.strictObject({ ...writeCommon, ...mediaArgs, confirmation }),
  ),
} as const

export const contract = {
  'env.report': method<EnvironmentReport>()(
    'Host, detected tools and what each unlocks',
    z.strictObject({ refresh: z.boolean().optional() }),
  ),
  'drives.list': method<DriveListing>()(
    'Whole disks and registered image files',
    z.strictObject({ refresh: z.boolean().optional() }),
  ),
  'drives.addImageFile': method<Drive>()(
    'Register an image file (existing or to be created) as a target',
    z.strictObject({ path: absolutePath }),
  ),
  'drives.removeImageFile': method<DriveListing>()(
    'Forget a registered image file (the file itself is left alone)',
    z.strictObject({ id: z.string().min(1).max(4200) }),
  ),
  ...driveMethods,
  ...mediaMethods,
  'jobs.list': method<JobSnapshot[]>()('All jobs of this session, newest first', none),
  'jobs.get': method<JobDetail>()('One job with its log', z.strictObject({ id: jobId })),
  'jobs.cancel': method<JobSnapshot>()('Ask a running job to stop', z.strictObject({ id: jobId })),
  'jobs.selfTest': method<JobSnapshot>()(
    'Measure the worker pool: SHA-1 over generated data, in parallel',
    z.strictObject({ sizeMiB: z.number().int().min(1).max(65536) }),
  ),
  'wim.info': method<WimSummary>()('Open a WIM, ESD or split set: header, images and their details', z.strictObject({ path: absolutePath })),
  'wim.dir': method<WimDirEntry[]>()(
    'List a folder of an image (or everything below it)',
    z.strictObject({
      path: absolutePath,
      image: imageRef,
      dir: imagePath.default('\\'),
      recursive: z.boolean().default(false),
      limit: z.number().int().min(1).max(5_000_000).default(10_000),
    }),
  ),
  'wim.apply': method<JobSnapshot>()(
    'Apply an image to an empty folder (a job)',
    z.strictObject({ path: absolutePath, image: imageRef, target: absolutePath }),
  ),
  'wim.extract': method<JobSnapshot>()(
    'Extract chosen paths of an image into a folder (a job)',
    z.strictObject({ path: absolutePath, image: imageRef, paths: z.array(imagePath.min(1)).min(1).max(10_000), target: absolutePath }),
  ),
  'wim.verify': method<JobSnapshot>()('Check a WIM: integrity table and every blob\'s SHA-1 (a job)', z.strictObject({ path: absolutePath })),
  'wim.capture': method<JobSnapshot>()(
    'Capture a folder as a new image, into a new WIM or added to an existing one (a job)',
    z.strictObject({
      source: absolutePath,
      wim: absolutePath,
      append: z.boolean().default(false),
      name: imageName,
      description: z.string().max(1024).optional(),
      flags: z.string().max(128).optional(),
      compression: compression.default('lzx'),
      chunkSize: chunkSize.optional(),
      solid: z.boolean().default(false),
      integrity: z.boolean().default(false),
      boot: z.boolean().default(false),
      configFile: absolutePath.optional(),
    }),
  ),
  'wim.export': method<JobSnapshot>()(
    'Export images to another WIM, new or existing, recompressing as asked (a job)',
    z.strictObject({
      source: absolutePath,
      images: z.union([z.literal('all'), z.array(imageRef).min(1).max(1000)]),
      dest: absolutePath,
      compression: compression.optional(),
      chunkSize: chunkSize.optional(),
      solid: z.boolean().default(false),
      integrity: z.boolean().optional(),
      boot: z.boolean().default(false),
      name: imageName.optional(),
      description: z.string().max(1024).optional(),
    }),
  ),
  'wim.update': method<JobSnapshot>()(
    'Add, replace, delete and rename paths of an image in place (a job)',
    z.strictObject({
      path: absolutePath,
      image: imageRef,
      commands: z
        .array(
          z.discriminatedUnion('kind', [
            z.strictObject({ kind: z.literal('add'), source: absolutePath, dest: imagePath }),
            z.strictObject({ kind: z.literal('delete'), path: imagePath.min(1) }),
            z.strictObject({ kind: z.literal('rename'), from: imagePath.min(1), to: imagePath.min(1) }),
          ]),
        )
        .min(1)
        .max(10_000),
    }),
  ),
  'wim.deleteImage': method<WimSummary>()('Delete an image (its data stays until the WIM is optimized)', z.strictObject({ path: absolutePath, image: imageRef })),
  'wim.setProperties': method<WimSummary>()(
    'Rename an image or change its description, display name or edition flags',
    z.strictObject({
      path: absolutePath,
      image: imageRef,
      name: imageName.optional(),
      description: z.string().max(1024).optional(),
      displayName: z.string().max(256).optional(),
      displayDescription: z.string().max(1024).optional(),
      flags: z.string().max(128).optional(),
    }),
  ),
  'wim.setBootIndex': method<WimSummary>()('Set the bootable image (0: none)', z.strictObject({ path: absolutePath, image: z.union([z.literal(0), imageRef]) })),
  'wim.optimize': method<JobSnapshot>()(
    'Rebuild a WIM without dead space, optionally recompressed (a job)',
    z.strictObject({ path: absolutePath, compression: compression.optional() }),
  ),
  'wim.split': method<JobSnapshot>()(
    'Split a WIM into .swm parts of at most the given size (a job)',
    z.strictObject({ path: absolutePath, firstPart: absolutePath, partMiB: z.number().int().min(1).max(1_000_000) }),
  ),
  'wim.join': method<JobSnapshot>()('Join a split set (give its first part) into one WIM (a job)', z.strictObject({ firstPart: absolutePath, dest: absolutePath })),
  'unattend.preview': method<UnattendPreview>()('The autounattend.xml for these options, with warnings', z.strictObject({ options: unattendOptionsSchema })),
  'unattend.defaults': method<{ settings: RegionalSettings; fallbacks: string[] }>()(
    "Regional settings from this computer's locale and time zone, limited to the image's languages",
    z.strictObject({ imageLanguages: z.array(z.string().max(32)).max(200).optional() }),
  ),
  'unattend.timeZones': method<string[]>()('Every Windows time zone ID', none),
} as const

export type Contract = typeof contract
export type MethodName = keyof Contract
export type MethodArgs<M extends MethodName> = z.input<Contract[M]['args']>
export type ParsedArgs<M extends MethodName> = z.output<Contract[M]['args']>
export type MethodResult<M extends MethodName> = Contract[M] extends MethodDef<z.ZodType, infer R> ? R : never

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name)
}

type DomainOf<M> = M extends `${infer D}.${string}` ? D : never

/** The contract as nested calls: `api.drives.list({})`. */
export type Api = {
  [D in DomainOf<MethodName>]: {
    [M in MethodName as M extends `${D}.${infer N}` ? N : never]: (args: MethodArgs<M>) => Promise<MethodResult<M>>
  }
}

export type AppEvent =
  | { type: 'job'; job: JobSnapshot }
  | { type: 'job.log'; jobId: string; line: LogLine }
  | { type: 'drives'; listing: DriveListing }
