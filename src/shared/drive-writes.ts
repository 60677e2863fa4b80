import type { Api, MethodArgs } from './contract'
import type { JobSnapshot } from './jobs'

/** An operation as a front end asks for it (the engine fills in defaults when it checks it). */
export type RequestedWriteOperation = MethodArgs<'drives.prepareWrite'>['operation']

/** What every destructive call carries besides its operation's own fields. */
export interface ConfirmedWriteArgs {
  target: string
  verify?: boolean
  createSizeBytes?: number
  confirmation: { token: string; typed?: string }
}

/**
 * The destructive call that carries out an operation prepared with drives.prepareWrite: one
 * method per kind, sent the operation's fields unchanged (the engine compares them with what
 * was confirmed). Every front end starts its writes here.
 */
export function startConfirmedWrite(api: Api, args: ConfirmedWriteArgs, operation: RequestedWriteOperation): Promise<JobSnapshot> {
  switch (operation.kind) {
    case 'partition':
      return api.drives.partition({ ...args, layout: operation.layout, label: operation.label })
    case 'restore':
      return api.drives.restore({ ...args, fileSystem: operation.fileSystem, label: operation.label })
    case 'writeImage':
      return api.drives.writeImage({ ...args, image: operation.image })
    case 'media': {
      const { kind: _kind, ...media } = operation
      return api.media.create({ ...args, ...media })
    }
  }
}
