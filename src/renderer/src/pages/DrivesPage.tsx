import { ActionIcon, Alert, Badge, Button, Loader, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconRefresh, IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import type { Drive } from '../../../shared/drives'
import { formatBytes } from '../../../shared/format'
import { useClient } from '../client-context'
import { AddImageFile } from '../components/drives/AddImageFile'
import { DriveBadges } from '../components/drives/DriveBadges'
import { DriveDetail } from '../components/drives/DriveDetail'
import { PageHeader } from '../components/PageHeader'
import { useDrives } from '../hooks/use-drives'

interface Selection {
  selected: string | null
  onSelect: (id: string) => void
}

const selectedStyle = { backgroundColor: 'var(--mantine-primary-color-light)', cursor: 'pointer' }

function DiskTable({ disks, selected, onSelect }: { disks: Drive[] } & Selection) {
  if (disks.length === 0) {
    return (
      <Text c="dimmed" size="sm" p="md">
        No disks found. Plug in a USB stick; the list updates by itself.
      </Text>
    )
  }
  return (
    <Table verticalSpacing="sm" highlightOnHover data-testid="disk-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Device</Table.Th>
          <Table.Th>Description</Table.Th>
          <Table.Th ta="right">Size</Table.Th>
          <Table.Th>Bus</Table.Th>
          <Table.Th>Table</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Mounted volumes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {disks.map((d) => (
          <Table.Tr key={d.id} data-testid="disk-row" data-system={d.isSystem} onClick={() => onSelect(d.id)} style={d.id === selected ? selectedStyle : { cursor: 'pointer' }}>
            <Table.Td ff="monospace">{d.device}</Table.Td>
            <Table.Td>{d.description}</Table.Td>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              {formatBytes(d.sizeBytes)}
            </Table.Td>
            <Table.Td>{d.bus ?? '—'}</Table.Td>
            <Table.Td>{d.partitionTable?.toUpperCase() ?? '—'}</Table.Td>
            <Table.Td>
              <DriveBadges drive={d} />
            </Table.Td>
            <Table.Td>
              {d.volumes.length === 0 ? (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              ) : (
                d.volumes.map((v) => (
                  <Text size="sm" key={v.mountpoint}>
                    <Text span ff="monospace">
                      {v.mountpoint}
                    </Text>{' '}
                    <Text span c="dimmed">
                      {v.freeBytes !== null ? `${formatBytes(v.freeBytes)} free of ${formatBytes(v.sizeBytes)}` : ''}
                    </Text>
                  </Text>
                ))
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function ImageFiles({ files, selected, onSelect }: { files: Drive[] } & Selection) {
  const client = useClient()
  const remove = (drive: Drive): void => {
    client.api.drives.removeImageFile({ id: drive.id }).catch((e: Error) =>
      notifications.show({ color: 'red', title: 'Could not remove', message: e.message }),
    )
  }
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        An image file is always a valid target: media and layouts can be written to a file first, then flashed or booted
        in a virtual machine. A file that does not exist yet is created by the write.
      </Text>
      <AddImageFile action="Add image file" testId="image-file-path" actionTestId="image-file-add" />
      {files.length > 0 && (
        <Table verticalSpacing="xs" data-testid="image-file-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th ta="right">Size</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {files.map((f) => (
              <Table.Tr key={f.id} data-testid="image-file-row" onClick={() => onSelect(f.id)} style={f.id === selected ? selectedStyle : { cursor: 'pointer' }}>
                <Table.Td ff="monospace">{f.device}</Table.Td>
                <Table.Td ta="right">{f.exists ? formatBytes(f.sizeBytes) : '—'}</Table.Td>
                <Table.Td>
                  <DriveBadges drive={f} />
                </Table.Td>
                <Table.Td w={40}>
                  <Tooltip label="Forget this target (the file is kept)">
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      onClick={(e) => {
                        e.stopPropagation()
                        remove(f)
                      }} aria-label={`Forget ${f.device}`}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}

export function DrivesPage() {
  const { listing, error, refresh } = useDrives()
  const [selected, setSelected] = useState<string | null>(null)
  const chosen = listing && [...listing.disks, ...listing.imageFiles].find((d) => d.id === selected)
  return (
    <>
      <PageHeader
        title="Drives"
        description="Whole disks attached to this computer, and image files you can write to. The disk the system runs from is marked and is never written."
        actions={
          <>
            {listing && (
              <Tooltip label={listing.hotplug === 'usb-events' ? 'Updates when a USB device is plugged or removed' : 'USB events are not available here; the list is re-read every few seconds'}>
                <Badge variant="dot" color="green" size="lg" data-testid="hotplug-mode">
                  Live · {listing.hotplug === 'usb-events' ? 'USB events' : 'polling'}
                </Badge>
              </Tooltip>
            )}
            <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={refresh}>
              Refresh
            </Button>
          </>
        }
      />
      {(error ?? listing?.error) && (
        <Alert color="red" icon={<IconAlertTriangle size={20} />} mb="md" title="Could not list disks">
          {error ?? listing?.error}
        </Alert>
      )}
      <Paper withBorder mb="xl">
        {listing ? <DiskTable disks={listing.disks} selected={selected} onSelect={setSelected} /> : <Loader m="md" size="sm" />}
      </Paper>
      {chosen ? (
        <Stack mb="xl">
          <DriveDetail key={chosen.id} drive={chosen} />
        </Stack>
      ) : (
        <Text size="sm" c="dimmed" mb="xl" data-testid="drive-hint">
          Click a drive or an image file to see its partitions and to partition, restore or write it.
        </Text>
      )}
      <Title order={4} mb="xs">
        Image files
      </Title>
      <ImageFiles files={listing?.imageFiles ?? []} selected={selected} onSelect={setSelected} />
    </>
  )
}
