import { Badge, Button, Code, Collapse, Group, Paper, Progress, ScrollArea, Select, Stack, Text, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconChevronDown, IconChevronRight, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import { formatErrorInfo } from '../../../shared/errors'
import { formatBytes, formatDuration, formatRate, percent } from '../../../shared/format'
import type { JobPhase, JobSnapshot, JobState, LogLine } from '../../../shared/jobs'
import { useClient } from '../client-context'
import { PageHeader } from '../components/PageHeader'
import { useJobLog, useJobs } from '../hooks/use-jobs'

const STATE_COLOR: Record<JobState, string> = { running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'gray' }
const PHASE_COLOR: Record<JobPhase['state'], string> = { pending: 'gray', running: 'blue', done: 'green', skipped: 'gray', failed: 'red' }
const LEVEL_COLOR: Record<LogLine['level'], string | undefined> = { debug: 'dimmed', info: undefined, warn: 'orange', error: 'red' }

function LogView({ jobId }: { jobId: string }) {
  const { log } = useJobLog(jobId)
  const viewport = useRef<HTMLDivElement>(null)
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight })
  }, [log.length])
  return (
    <ScrollArea h={200} viewportRef={viewport} type="auto" data-testid="job-log">
      <Stack gap={0} ff="monospace" fz="xs">
        {log.map((line, i) => (
          <Text key={i} ff="monospace" fz="xs" c={LEVEL_COLOR[line.level]} style={{ whiteSpace: 'pre-wrap' }}>
            {new Date(line.time).toLocaleTimeString()} {line.level.toUpperCase().padEnd(5)} {line.message}
          </Text>
        ))}
      </Stack>
    </ScrollArea>
  )
}

function Elapsed({ job }: { job: JobSnapshot }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (job.state !== 'running') return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [job.state])
  return <>{formatDuration(((job.endedAt ?? now) - job.startedAt) / 1000)}</>
}

function JobCard({ job }: { job: JobSnapshot }) {
  const client = useClient()
  const [showLog, setShowLog] = useState(false)
  const pct = percent(job.bytesDone, job.bytesTotal)
  const running = job.state === 'running'
  const cancel = (): void => {
    client.api.jobs.cancel({ id: job.id }).catch((e: Error) => notifications.show({ color: 'red', title: 'Cancel failed', message: e.message }))
  }
  return (
    <Paper withBorder p="md" data-testid="job-card" data-state={job.state} data-kind={job.kind}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap="sm">
          <Text fw={600}>{job.title}</Text>
          <Badge color={STATE_COLOR[job.state]} variant="light" data-testid="job-state">
            {job.state}
          </Badge>
        </Group>
        {running && (
          <Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} onClick={cancel} data-testid="job-cancel">
            Cancel
          </Button>
        )}
      </Group>
      <Progress.Root size="lg" mb="xs">
        <Progress.Section
          value={pct ?? (running ? 100 : 0)}
          color={STATE_COLOR[job.state]}
          striped={running}
          animated={running}
          data-testid="job-progress"
          data-value={pct === null ? '' : pct.toFixed(1)}
        >
          {pct !== null && <Progress.Label>{pct.toFixed(0)}%</Progress.Label>}
        </Progress.Section>
      </Progress.Root>
      <Group gap="lg" mb="xs">
        <Text size="sm">
          {formatBytes(job.bytesDone)}
          {job.bytesTotal !== null && ` of ${formatBytes(job.bytesTotal)}`}
        </Text>
        {running && <Text size="sm">{formatRate(job.rate)}</Text>}
        {running && <Text size="sm">ETA {formatDuration(job.etaSeconds)}</Text>}
        <Text size="sm" c="dimmed">
          Elapsed <Elapsed job={job} />
        </Text>
        {job.engine && (
          <Text size="sm" c="dimmed">
            Engine: {job.engine}
          </Text>
        )}
      </Group>
      {job.phases.length > 1 && (
        <Group gap={6} mb="xs">
          {job.phases.map((p) => (
            <Badge key={p.id} size="sm" variant={p.state === 'running' ? 'filled' : 'light'} color={PHASE_COLOR[p.state]}>
              {p.label}
            </Badge>
          ))}
        </Group>
      )}
      {job.error && job.state === 'failed' && (
        <Text size="sm" c="red" mb="xs">
          {formatErrorInfo(job.error)}
        </Text>
      )}
      <Group gap="xs">
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          leftSection={showLog ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          onClick={() => setShowLog((v) => !v)}
        >
          Log ({job.logCount} lines)
        </Button>
        {job.logFile && (
          <Tooltip label="The full log, to hand to a colleague">
            <Code fz="xs">{job.logFile}</Code>
          </Tooltip>
        )}
      </Group>
      <Collapse expanded={showLog}>{showLog && <LogView jobId={job.id} />}</Collapse>
    </Paper>
  )
}

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
