import { Button, Group, TextInput } from '@mantine/core'
import type { ReactNode } from 'react'

interface PathFieldProps {
  value: string
  onChange: (value: string) => void
  /** Called with the trimmed path, on Enter or the button. */
  onSubmit: (path: string) => void
  label?: string
  /** For a field without a visible label. */
  ariaLabel?: string
  description?: string
  placeholder: string
  icon: ReactNode
  error?: string | null
  action: string
  actionIcon?: ReactNode
  busy?: boolean
  testId: string
  actionTestId: string
  maxWidth?: number
}

/**
 * A path typed by hand with the button that uses it: the browser in front of the headless
 * server has no native file dialog. The button sits beside the input, not the label or error.
 */
export function PathField(props: PathFieldProps) {
  const submit = (): void => {
    if (props.value.trim()) props.onSubmit(props.value.trim())
  }
  return (
    <TextInput
      label={props.label}
      aria-label={props.ariaLabel}
      description={props.description}
      placeholder={props.placeholder}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      onKeyDown={(e) => e.key === 'Enter' && submit()}
      error={props.error}
      leftSection={props.icon}
      maw={props.maxWidth ?? 900}
      data-testid={props.testId}
      inputContainer={(input) => (
        <Group gap="sm" wrap="nowrap" align="center">
          <div style={{ flex: 1 }}>{input}</div>
          <Button leftSection={props.actionIcon} onClick={submit} loading={props.busy} disabled={!props.value.trim()} data-testid={props.actionTestId}>
            {props.action}
          </Button>
        </Group>
      )}
    />
  )
}
