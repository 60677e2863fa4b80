import { Badge, Button, Code, Collapse, Group, Paper, Progress, Text, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPlayerStop } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { formatErrorInfo } from '../../../shared/errors'
import { formatBytes, formatDuration, formatRate, percent } from '../../../shared/format'
import type { JobPhase, JobSnapshot, JobState } from '../../../shared/jobs'
import { useClient } from '../client-context'
import { useJobLog } from '../hooks/use-jobs'
import { DisclosureButton } from './DisclosureButton'
import { JobLogView } from './JobLog'

const STATE_COLOR: Record<JobState, string> = { running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'gray' }
const PHASE_COLOR: Record<JobPhase['state'], string> = { pending: 'gray', running: 'blue', done: 'green', skipped: 'gray', failed: 'red' }

function LogView({ jobId }: { jobId: string }) {
  const { log } = useJobLog(jobId)
  return <JobLogView lines={log} />
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

/** One job: live progress, phases, figures, its log and cancel. */
export function JobCard({ job }: { job: JobSnapshot }) {
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
          value={pct ?? (running || job.state === 'succeeded' ? 100 : 0)}
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
        {/* A phase that counts no bytes (planning, writing tables) shows none. */}
        {(job.bytesTotal !== null || job.bytesDone > 0) && (
          <Text size="sm">
            {formatBytes(job.bytesDone)}
            {job.bytesTotal !== null && ` of ${formatBytes(job.bytesTotal)}`}
          </Text>
        )}
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
            <Badge key={p.id} size="sm" variant={p.state === 'running' ? 'filled' : 'light'} color={PHASE_COLOR[p.state]} data-testid="job-phase">
              {p.label}
              {/* What an ended phase counted; units keep their case in the upper-case badge. */}
              {p.bytes !== undefined && <span style={{ textTransform: 'none' }}> · {formatBytes(p.bytes)}</span>}
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
        <DisclosureButton open={showLog} onToggle={() => setShowLog((v) => !v)}>
          Log ({job.logCount} lines)
        </DisclosureButton>
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
