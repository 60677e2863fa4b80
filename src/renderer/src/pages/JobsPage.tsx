import { Button, Group, Paper, Select, Stack, Text, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPlayerPlay } from '@tabler/icons-react'
import { useState } from 'react'
import { formatBytes } from '../../../shared/format'
import { useClient } from '../client-context'
import { JobCard } from '../components/JobCard'
import { PageHeader } from '../components/PageHeader'
import { useJobs } from '../hooks/use-jobs'

function SelfTestLauncher() {
  const client = useClient()
  const [size, setSize] = useState<string | null>('1024')
  const [busy, setBusy] = useState(false)
  const start = (): void => {
    setBusy(true)
    client.api.jobs
      .selfTest({ sizeMiB: Number(size ?? '1024') })
      .catch((e: Error) => notifications.show({ color: 'red', title: 'Could not start', message: e.message }))
      .finally(() => setBusy(false))
  }
  return (
    <Group gap="xs">
      <Select
        w={120}
        value={size}
        onChange={setSize}
        data={['256', '1024', '4096', '16384'].map((v) => ({ value: v, label: formatBytes(Number(v) * 1024 * 1024, 0) }))}
        aria-label="Self-test size"
        data-testid="self-test-size"
        allowDeselect={false}
      />
      <Tooltip label="Generates and hashes data on every worker thread: shows what this machine delivers">
        <Button leftSection={<IconPlayerPlay size={16} />} onClick={start} loading={busy} data-testid="self-test-start">
          Run pool self-test
        </Button>
      </Tooltip>
    </Group>
  )
}

export function JobsPage() {
  const { jobs, error } = useJobs()
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Every long operation runs as a job with progress, a log and cancel. Logs are kept on disk for each job."
        actions={<SelfTestLauncher />}
      />
      {error && (
        <Text c="red" mb="md">
          {error}
        </Text>
      )}
      {jobs.length === 0 ? (
        <Paper withBorder p="xl">
          <Text c="dimmed" ta="center">
            No jobs in this session yet. Jobs you start from any page (or the pool self-test) appear here.
          </Text>
        </Paper>
      ) : (
        <Stack gap="md">
          {jobs.map((job) => (
            <JobCard key={job.id} job={job} />
          ))}
        </Stack>
      )}
    </>
  )
}
