import { Alert, Button, Code, CopyButton, Group, List, Loader, Paper, ScrollArea, Stack, Text } from '@mantine/core'
import { IconAlertTriangle, IconCheck, IconCopy, IconFileCode } from '@tabler/icons-react'
import type { UnattendPreview } from '../../../../shared/unattend'

interface AnswerFilePreviewProps {
  preview: UnattendPreview | null
  error: string | null
  loading: boolean
  /** Whether an answer file is asked for at all. */
  wanted: boolean
  /** Some field is invalid: no file can be built until it is fixed. */
  invalid: boolean
  height?: number
}

/** The exact autounattend.xml that goes onto the medium, as the engine builds it, with what to watch out for. */
export function AnswerFilePreview({ preview, error, loading, wanted, invalid, height = 420 }: AnswerFilePreviewProps) {
  return (
    <Paper withBorder p="sm" data-testid="answer-preview">
      <Group justify="space-between" mb="xs">
        <Group gap={6}>
          <IconFileCode size={18} />
          <Text fw={600} size="sm">
            autounattend.xml
          </Text>
        </Group>
        <Group gap="xs">
          {loading && <Loader size="xs" />}
          {preview && wanted && !invalid && (
            <CopyButton value={preview.xml}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="default" leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />} onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          )}
        </Group>
      </Group>
      {!wanted ? (
        <Text size="sm" c="dimmed">
          No answer file: Setup asks every question itself. Tick an option to write one.
        </Text>
      ) : (
        <Stack gap="xs">
          {error && (
            <Text size="sm" c="red" data-testid="answer-preview-error">
              {error}
            </Text>
          )}
          {preview && !invalid && preview.warnings.length > 0 && (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} py="xs" data-testid="answer-preview-warnings">
              <List size="sm">
                {preview.warnings.map((w) => (
                  <List.Item key={w}>{w}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {preview && !invalid && (
            <ScrollArea.Autosize mah={height} type="auto">
              <Code block fz={11} data-testid="answer-preview-xml" style={{ whiteSpace: 'pre' }}>
                {preview.xml}
              </Code>
            </ScrollArea.Autosize>
          )}
          {invalid && (
            <Text size="sm" c="dimmed">
              Fix the fields marked in red to see the file.
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  )
}
