import { Alert, Badge, Button, CopyButton, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconAlertTriangle, IconArrowBackUp, IconCheck, IconCircleCheck, IconCopy, IconDownload, IconRepeat } from '@tabler/icons-react'
import type { DriveWriteResult } from '../../../../shared/drives'
import { formatBytes, formatDuration } from '../../../../shared/format'
import type { JobSnapshot } from '../../../../shared/jobs'
import { useJobLog } from '../../hooks/use-jobs'
import { PartitionTable } from '../drives/PartitionTable'
import { Fact } from '../Fact'
import { JobLogView, logLineText } from '../JobLog'

function saveText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  URL.revokeObjectURL(url)
}

function VerifiedBadge({ verified }: { verified: boolean | null }) {
  if (verified === null) return <Badge color="gray" variant="light">Not verified (switched off)</Badge>
  return verified ? (
    <Badge color="green" variant="light" leftSection={<IconCheck size={12} />}>
      Verified
    </Badge>
  ) : (
    <Badge color="red">Verification failed</Badge>
  )
}

function Outcome({ job }: { job: JobSnapshot }) {
  if (job.state === 'succeeded') {
    const result = job.result as DriveWriteResult
    return (
      <Stack gap="md">
        <Alert color="green" icon={<IconCircleCheck size={20} />} title="The medium is ready" data-testid="media-result">
          <Text size="sm">
            {result.device} now holds {result.holds}.
          </Text>
        </Alert>
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Fact label="Read back" testId="media-verified">
            <VerifiedBadge verified={result.verified} />
          </Fact>
          <Fact label="Written">{formatBytes(result.bytesWritten)}</Fact>
          <Fact label="Took">{formatDuration(((job.endedAt ?? job.startedAt) - job.startedAt) / 1000)}</Fact>
          <Fact label="Partition table">
            {result.layout?.table ? result.layout.table.toUpperCase() : '—'}
            {result.layout?.diskId && (
              <Text size="xs" c="dimmed" ff="monospace">
                {result.layout.diskId}
              </Text>
            )}
          </Fact>
        </SimpleGrid>
        {result.layout && result.layout.partitions.length > 0 && <PartitionTable rows={result.layout.partitions} testId="media-result-partitions" />}
      </Stack>
    )
  }
  return (
    <Alert color={job.state === 'failed' ? 'red' : 'gray'} icon={<IconAlertTriangle size={20} />} title={job.state === 'failed' ? 'The medium was not made' : 'Cancelled'} data-testid="media-result">
      {/* The message says what happened and what the drive now holds; the details behind it are in the log. */}
      <Text size="sm">{job.error?.message ?? 'The job stopped before it finished.'}</Text>
    </Alert>
  )
}

/** Step 8: what the drive now holds, whether it was read back, and the job's log to keep or hand on. */
export function MediaSummary({ job, onAgain, onRetry }: { job: JobSnapshot; onAgain: () => void; onRetry: () => void }) {
  const { log } = useJobLog(job.id)
  const text = log.map(logLineText).join('\n') + '\n'
  return (
    <Stack gap="lg" data-testid="media-summary" data-state={job.state}>
      <Outcome job={job} />
      <Paper withBorder p="sm">
        <Group justify="space-between" mb="xs">
          <Title order={5}>Log</Title>
          <Group gap="xs">
            <CopyButton value={text}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy} data-testid="media-log-copy">
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
            <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => saveText(`media-${job.id}.log`, text)} data-testid="media-log-save">
              Save…
            </Button>
          </Group>
        </Group>
        <JobLogView lines={log} height={260} />
        {job.logFile && (
          <Text size="xs" c="dimmed" mt="xs">
            The full log is kept at{' '}
            <Text span ff="monospace" size="xs">
              {job.logFile}
            </Text>
          </Text>
        )}
      </Paper>
      <Group justify="flex-end">
        {job.state !== 'succeeded' && (
          <Button variant="default" leftSection={<IconArrowBackUp size={16} />} onClick={onRetry} data-testid="media-retry">
            Back to the review
          </Button>
        )}
        <Button variant={job.state === 'succeeded' ? 'filled' : 'default'} leftSection={<IconRepeat size={16} />} onClick={onAgain} data-testid="media-again">
          {job.state === 'succeeded' ? 'Write another drive' : 'Choose another drive'}
        </Button>
      </Group>
    </Stack>
  )
}
