import { ScrollArea, Stack, Text } from '@mantine/core'
import { useEffect, useRef } from 'react'
import type { LogLine } from '../../../shared/jobs'

const LEVEL_COLOR: Record<LogLine['level'], string | undefined> = { debug: 'dimmed', info: undefined, warn: 'orange', error: 'red' }

/** A log line as it is shown, copied and saved: the same text everywhere. */
export function logLineText(line: LogLine): string {
  return `${new Date(line.time).toLocaleTimeString()} ${line.level.toUpperCase().padEnd(5)} ${line.message}`
}

/** A job's log lines, scrolled to the newest as they arrive. */
export function JobLogView({ lines, height = 200 }: { lines: LogLine[]; height?: number }) {
  const viewport = useRef<HTMLDivElement>(null)
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight })
  }, [lines.length])
  return (
    <ScrollArea h={height} viewportRef={viewport} type="auto" data-testid="job-log">
      <Stack gap={0}>
        {lines.map((line, i) => (
          <Text key={i} ff="monospace" fz="xs" c={LEVEL_COLOR[line.level]} style={{ whiteSpace: 'pre-wrap' }}>
            {logLineText(line)}
          </Text>
        ))}
      </Stack>
    </ScrollArea>
  )
}
