import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core'
import { IconAlertTriangle, IconEraser, IconFileDownload, IconLayoutRows } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import type { Drive, DriveLayoutReport } from '../../../../shared/drives'
import { formatBytes } from '../../../../shared/format'
import { useAppEvents, useClient } from '../../client-context'
import { writeBlockedReason } from './DriveBadges'
import { PartitionTable } from './PartitionTable'
import { WriteDialog, type WriteKind } from './WriteDialog'

/** The chosen drive: its partition layout and the three destructive actions, each behind a confirmation. */
export function DriveDetail({ drive }: { drive: Drive }) {
  const client = useClient()
  const [layout, setLayout] = useState<DriveLayoutReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [dialog, setDialog] = useState<WriteKind | null>(null)
  const [reload, setReload] = useState(0)
  const canRead = drive.kind === 'disk' || drive.exists

  useEffect(() => {
    // Keyed by drive: a new drive starts empty; a reload keeps the old layout until the new one is read.
    let cancelled = false
    if (!canRead) return
    client.api.drives.layout({ target: drive.id }).then(
      (report) => {
        if (cancelled) return
        setLayout(report)
        setError(null)
      },
      (e: Error) => {
        if (cancelled) return
        setLayout(null)
        setError(e.message)
      },
    )
    return () => {
      cancelled = true
    }
  }, [client, drive.id, canRead, reload])

  // A finished write changes the layout: read it again.
  useAppEvents((event) => {
    if (event.type === 'job' && event.job.kind.startsWith('drives.') && event.job.state !== 'running') setReload((n) => n + 1)
  })

  const blocked = writeBlockedReason(drive)
  return (
    <Paper withBorder p="md" data-testid="drive-detail">
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Title order={4} ff={drive.kind === 'disk' ? 'monospace' : undefined}>
            {drive.device}
          </Title>
          <Text size="sm" c="dimmed">
            {drive.description} · {formatBytes(drive.sizeBytes)}
            {layout && ` · ${layout.table ? `${layout.table.toUpperCase()} ${layout.diskId ?? ''}` : 'no partition table'} · ${layout.sectorSize}-byte sectors`}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconLayoutRows size={16} />} disabled={!!blocked} onClick={() => setDialog('partition')} data-testid="action-partition">
            Partition
          </Button>
          <Button variant="default" leftSection={<IconFileDownload size={16} />} disabled={!!blocked} onClick={() => setDialog('writeImage')} data-testid="action-write-image">
            Write image file
          </Button>
          <Button color="red" variant="light" leftSection={<IconEraser size={16} />} disabled={!!blocked} onClick={() => setDialog('restore')} data-testid="action-restore">
            Restore drive
          </Button>
        </Group>
      </Group>
      <Stack gap="xs">
        {blocked && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} py="xs">
            {blocked}
          </Alert>
        )}
        {!canRead && <Text size="sm" c="dimmed">The file does not exist yet: a write creates it at the size you give.</Text>}
        {canRead && !layout && !error && <Loader size="sm" />}
        {error && (
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} py="xs" data-testid="layout-error">
            {error}
          </Alert>
        )}
        {layout && layout.partitions.length === 0 && <Text size="sm" c="dimmed">No partitions: {layout.table ? 'the table is empty' : 'blank, or one file system over the whole drive'}.</Text>}
        {layout && layout.partitions.length > 0 && <PartitionTable rows={layout.partitions} testId="layout-table" />}
        {layout?.warnings.map((w) => (
          <Text key={w} size="xs" c="orange">
            {w}
          </Text>
        ))}
      </Stack>
      {dialog && <WriteDialog drive={drive} kind={dialog} onClose={() => setDialog(null)} />}
    </Paper>
  )
}
