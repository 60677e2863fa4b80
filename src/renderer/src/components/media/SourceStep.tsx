import { Alert, Badge, Group, Loader, Stack, Text } from '@mantine/core'
import { IconAlertTriangle, IconDisc, IconSearch } from '@tabler/icons-react'
import { PathField } from '../PathField'
import type { InspectionState } from './use-media-inspection'
import { InspectionSummary } from './InspectionSummary'

interface SourceStepProps {
  path: string
  onPathChange: (path: string) => void
  state: InspectionState
  onInspect: (path: string) => void
  recent: string[]
}

/** Step 1: the ISO or folder to make media from, typed as a path (a browser has no native file dialog), then inspected. */
export function SourceStep({ path, onPathChange, state, onInspect, recent }: SourceStepProps) {
  return (
    <Stack gap="md">
      <PathField
        value={path}
        onChange={onPathChange}
        onSubmit={onInspect}
        label="Windows ISO or folder"
        description="The path of a Windows installation ISO, or of a folder holding its files (an extracted or mounted ISO)"
        placeholder="/isos/Win11_24H2_English_x64.iso"
        icon={<IconDisc size={16} />}
        action="Inspect"
        actionIcon={<IconSearch size={16} />}
        busy={state.loading}
        testId="media-source"
        actionTestId="media-inspect"
      />
      {recent.length > 0 && !state.inspection && (
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            Recent:
          </Text>
          {recent.map((r) => (
            <Badge
              key={r}
              component="button"
              variant="light"
              color="gray"
              style={{ cursor: 'pointer', textTransform: 'none' }}
              onClick={() => {
                onPathChange(r)
                onInspect(r)
              }}
            >
              {r}
            </Badge>
          ))}
        </Group>
      )}
      {state.loading && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Reading the source and its install image…
          </Text>
        </Group>
      )}
      {state.error && (
        <Alert color="red" icon={<IconAlertTriangle size={20} />} title="This source cannot be used" data-testid="media-source-error">
          {state.error}
        </Alert>
      )}
      {state.inspection && <InspectionSummary inspection={state.inspection} />}
    </Stack>
  )
}
