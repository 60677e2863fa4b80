import type { DriveWriter } from '../../disk/drive-writer'
import { inspectMedia } from '../../media/inspect-media'
import type { DomainHandlers } from './types'

export function mediaHandlers(writer: DriveWriter): DomainHandlers<'media'> {
  return {
    'media.inspect': ({ source }) => inspectMedia(source),
    'media.create': ({ target, verify, createSizeBytes, confirmation, ...media }) => writer.start({ target, verify, createSizeBytes, operation: { kind: 'media', ...media } }, confirmation),
  }
}
