import { Alert, Badge, Button, Group, Loader, Radio, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core'
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react'
import type { Drive, DriveListing } from '../../../../shared/drives'
import { writeBlockedReason } from '../drives/DriveBadges'
import { AddImageFile } from '../drives/AddImageFile'
import { NewFileSize } from './NewFileSize'
import { orderTargets } from './media-request'
import { TargetCard } from './TargetCard'

interface TargetStepProps {
  listing: DriveListing | null
  listingError: string | null
  refresh: () => void
  target: Drive | null
  onTarget: (drive: Drive) => void
  sizeGiB: number | null
  onSizeChange: (sizeGiB: number | null) => void
}

/** Step 3: the stick or image file to write, from the live list of drives. */
export function TargetStep({ listing, listingError, refresh, target, onTarget, sizeGiB, onSizeChange }: TargetStepProps) {
  const disks = listing ? orderTargets(listing.disks, writeBlockedReason) : []
  const files = listing?.imageFiles ?? []
  const byId = new Map([...disks, ...files].map((d) => [d.id, d]))
  const choose = (id: string): void => {
    const drive = byId.get(id)
    if (drive) onTarget(drive)
  }
  const error = listingError ?? listing?.error
  return (
    <Radio.Group value={target?.id ?? null} onChange={choose} aria-label="Drive or image file to write">
      <Stack gap="lg">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={5}>Drives</Title>
            <Group gap="xs">
              {listing && (
                <Tooltip label={listing.hotplug === 'usb-events' ? 'Updates when a USB device is plugged or removed' : 'Re-read every few seconds'}>
                  <Badge variant="dot" color="green">
                    Live
                  </Badge>
                </Tooltip>
              )}
              <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={refresh}>
                Refresh
              </Button>
            </Group>
          </Group>
          {error && (
            <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Could not list disks">
              {error}
            </Alert>
          )}
          {!listing && !error && <Loader size="sm" />}
          {listing && disks.length === 0 && (
            <Text size="sm" c="dimmed">
              No disks found. Plug in a USB stick: the list updates by itself.
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm" data-testid="media-disks">
            {disks.map((d) => (
              <TargetCard key={d.id} drive={d} blocked={writeBlockedReason(d)} />
            ))}
          </SimpleGrid>
        </Stack>
        <Stack gap="md">
          <Title order={5}>Image files</Title>
          {files.length > 0 && (
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm" data-testid="media-image-files">
              {files.map((f) => (
                <TargetCard key={f.id} drive={f} blocked={null} />
              ))}
            </SimpleGrid>
          )}
          {target?.kind === 'image-file' && !target.exists && <NewFileSize sizeGiB={sizeGiB} onChange={onSizeChange} />}
          <AddImageFile
            onAdded={onTarget}
            label="Add an image file"
            description="A raw disk image to flash later or boot in a virtual machine; a file that does not exist yet is created"
            action="Use this file"
            testId="media-image-path"
            actionTestId="media-image-add"
          />
        </Stack>
      </Stack>
    </Radio.Group>
  )
}
