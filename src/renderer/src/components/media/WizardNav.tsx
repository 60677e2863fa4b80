import { Button, Group, Text } from '@mantine/core'
import { IconArrowLeft, IconArrowRight } from '@tabler/icons-react'
import type { ReactNode } from 'react'

interface WizardNavProps {
  onBack?: () => void
  onNext?: () => void
  /** Why Next is not possible yet; Next is disabled while it is set. */
  blocker?: string | null
  nextLabel?: string
  /** Replaces the Next button (the review's red confirmation). */
  primary?: ReactNode
}

/** Back and Next at the foot of a step, with the reason when Next is not possible yet. */
export function WizardNav({ onBack, onNext, blocker, nextLabel = 'Next', primary }: WizardNavProps) {
  return (
    <Group justify="space-between" mt="xl" pt="md" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
      {onBack ? (
        <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack} data-testid="wizard-back">
          Back
        </Button>
      ) : (
        <span />
      )}
      <Group gap="sm">
        {blocker && (
          <Text size="sm" c="dimmed" data-testid="wizard-blocker">
            {blocker}
          </Text>
        )}
        {primary ??
          (onNext && (
            <Button rightSection={<IconArrowRight size={16} />} onClick={onNext} disabled={!!blocker} data-testid="wizard-next">
              {nextLabel}
            </Button>
          ))}
      </Group>
    </Group>
  )
}
