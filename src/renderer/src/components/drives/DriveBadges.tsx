import { Badge, Group, Tooltip } from '@mantine/core'
import { IconLock } from '@tabler/icons-react'
import type { Drive } from '../../../../shared/drives'

/** Why a drive can never be written, in words, or null when it can be. */
export function writeBlockedReason(drive: Drive): string | null {
  if (drive.isSystem) return `The host runs from this disk (${drive.systemReason ?? 'system disk'}): it is never written.`
  if (drive.isReadOnly) return 'This drive is read-only.'
  return null
}

/** What kind of target a drive is, at a glance: system, USB, removable, fixed, read-only, image file. */
export function DriveBadges({ drive }: { drive: Drive }) {
  return (
    <Group gap={6}>
      {drive.isSystem && (
        <Tooltip label={`The host runs from this disk (${drive.systemReason ?? 'system'}): it is never written`}>
          <Badge color="red" variant="filled" leftSection={<IconLock size={12} />}>
            System disk
          </Badge>
        </Tooltip>
      )}
      {drive.kind === 'disk' && drive.isUSB && <Badge color="teal" variant="light">USB</Badge>}
      {drive.kind === 'disk' && !drive.isUSB && drive.isRemovable && <Badge color="teal" variant="light">Removable</Badge>}
      {drive.kind === 'disk' && !drive.isRemovable && !drive.isSystem && (
        <Tooltip label="A fixed disk: writing it needs a typed confirmation">
          <Badge color="orange" variant="light">Fixed</Badge>
        </Tooltip>
      )}
      {drive.isReadOnly && <Badge color="gray" variant="light">Read-only</Badge>}
      {drive.isVirtual && <Badge color="gray" variant="outline">Virtual</Badge>}
      {drive.kind === 'image-file' && (
        // Outlined, so it stays visible on a selected card, whose light blue matches a light badge.
        <Badge color={drive.exists ? 'gray' : 'blue'} variant={drive.exists ? 'light' : 'outline'}>
          {drive.exists ? 'Image file' : 'New file'}
        </Badge>
      )}
    </Group>
  )
}
