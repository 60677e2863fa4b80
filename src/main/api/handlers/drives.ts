import type { DriveMonitor } from '../../disk/drive-monitor'
import type { ImageFileRegistry } from '../../disk/image-files'
import type { DomainHandlers } from './types'

export function driveHandlers(drives: DriveMonitor, imageFiles: ImageFileRegistry): DomainHandlers<'drives'> {
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
  }
}
