import type { DriveMonitor } from '../../disk/drive-monitor'
import type { DriveWriter } from '../../disk/drive-writer'
import type { ImageFileRegistry } from '../../disk/image-files'
import type { DomainHandlers } from './types'

export function driveHandlers(drives: DriveMonitor, imageFiles: ImageFileRegistry, writer: DriveWriter): DomainHandlers<'drives'> {
  return {
    'drives.list': ({ refresh }) => drives.listing(refresh ?? false),
    'drives.addImageFile': async ({ path }) => {
      const drive = imageFiles.add(path)
      await drives.imageFilesChanged()
      return drive
    },
    'drives.removeImageFile': ({ id }) => {
      imageFiles.remove(id)
      return drives.imageFilesChanged()
    },
    'drives.layout': ({ target }) => writer.layout(target),
    'drives.prepareWrite': (request) => writer.prepare(request),
    'drives.partition': ({ target, verify, createSizeBytes, layout, label, confirmation }) =>
      writer.start({ target, verify, createSizeBytes, operation: { kind: 'partition', layout, ...(label === undefined ? {} : { label }) } }, confirmation),
    'drives.restore': ({ target, verify, createSizeBytes, fileSystem, label, confirmation }) =>
      writer.start({ target, verify, createSizeBytes, operation: { kind: 'restore', fileSystem, ...(label === undefined ? {} : { label }) } }, confirmation),
    'drives.writeImage': ({ target, verify, createSizeBytes, image, confirmation }) =>
      writer.start({ target, verify, createSizeBytes, operation: { kind: 'writeImage', image } }, confirmation),
  }
}
