import { Paper, SimpleGrid, Text } from '@mantine/core'
import type { Drive } from '../../../../shared/drives'
import { formatBytes } from '../../../../shared/format'
import { Fact } from '../Fact'
import { DriveBadges } from './DriveBadges'
import { mountedVolumes } from './drive-words'

/**
 * The disk a write goes to, fact by fact, to check against the stick in hand before confirming:
 * two sticks of one make differ in size, bus, device or serial, and the label alone may not tell.
 */
export function DriveFacts({ drive, serial }: { drive: Drive; serial: string | null }) {
  return (
    <Paper withBorder p="sm" data-testid="erase-drive">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" verticalSpacing="xs">
        <Fact label="Model" testId="erase-drive-model">
          <Text fw={600} size="sm">
            {drive.description || 'Unnamed disk'}
          </Text>
        </Fact>
        <Fact label="Size" testId="erase-drive-size">
          <Text fw={600} size="sm">
            {formatBytes(drive.sizeBytes)}
          </Text>
        </Fact>
        <Fact label="Bus" testId="erase-drive-bus">
          {drive.bus ?? 'Unknown'}
        </Fact>
        <Fact label="Device">
          <Text size="sm" ff="monospace">
            {drive.device}
          </Text>
        </Fact>
        <Fact label="Serial number">{serial ?? 'Not reported'}</Fact>
        <Fact label="Mounted now">{mountedVolumes(drive.volumes) ?? 'Nothing'}</Fact>
        <Fact label="Kind">
          <DriveBadges drive={drive} />
        </Fact>
      </SimpleGrid>
    </Paper>
  )
}
