import { Group, Radio, Stack, Text } from '@mantine/core'
import { IconFile, IconLock, IconUsb, IconDeviceFloppy } from '@tabler/icons-react'
import type { Drive } from '../../../../shared/drives'
import { formatBytes } from '../../../../shared/format'
import { DriveBadges } from '../drives/DriveBadges'
import { mountedVolumes } from '../drives/drive-words'
import { BLOCKED_CARD_STYLE } from './blocked-card'

function DriveIcon({ drive, blocked }: { drive: Drive; blocked: boolean }) {
  if (blocked) return <IconLock size={22} stroke={1.5} />
  if (drive.kind === 'image-file') return <IconFile size={22} stroke={1.5} />
  return drive.isUSB || drive.isRemovable ? <IconUsb size={22} stroke={1.5} /> : <IconDeviceFloppy size={22} stroke={1.5} />
}

/**
 * One target as a choice: model and size first, then device, bus and table, so two sticks of
 * the same make are told apart by size and device; an unwritable drive says why.
 */
export function TargetCard({ drive, blocked }: { drive: Drive; blocked: string | null }) {
  const mounted = mountedVolumes(drive.volumes)
  const title = drive.kind === 'image-file' ? drive.device : drive.description || drive.device
  return (
    <Radio.Card
      value={drive.id}
      disabled={blocked !== null}
      p="sm"
      radius="md"
      data-testid="media-target"
      data-target={drive.id}
      data-blocked={blocked !== null}
      style={blocked ? BLOCKED_CARD_STYLE : undefined}
      aria-label={`${title}, ${formatBytes(drive.sizeBytes)}${blocked ? `: ${blocked}` : ''}`}
    >
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Radio.Indicator mt={3} disabled={blocked !== null} />
        <DriveIcon drive={drive} blocked={blocked !== null} />
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Text fw={600} size="sm" c={blocked ? 'dimmed' : undefined} ff={drive.kind === 'image-file' ? 'monospace' : undefined} style={{ wordBreak: 'break-all' }}>
              {title}
            </Text>
            {drive.exists && (
              <Text fw={600} size="sm" c={blocked ? 'dimmed' : undefined} style={{ whiteSpace: 'nowrap' }}>
                {formatBytes(drive.sizeBytes)}
              </Text>
            )}
          </Group>
          {drive.kind === 'disk' && (
            <Text size="xs" c="dimmed">
              <Text span ff="monospace" size="xs">
                {drive.device}
              </Text>
              {' · '}
              {drive.bus ?? 'bus unknown'}
              {' · '}
              {drive.partitionTable ? drive.partitionTable.toUpperCase() : 'no partition table'}
              {mounted && ` · mounted: ${mounted}`}
            </Text>
          )}
          <Group gap="xs" mt={2}>
            <DriveBadges drive={drive} />
          </Group>
          {blocked && (
            <Text size="xs" c="red" data-testid="media-target-blocked">
              {blocked}
            </Text>
          )}
        </Stack>
      </Group>
    </Radio.Card>
  )
}
