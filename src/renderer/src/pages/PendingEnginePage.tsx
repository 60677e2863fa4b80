import { Alert, List, Paper, Text, ThemeIcon } from '@mantine/core'
import { IconChevronRight, IconInfoCircle } from '@tabler/icons-react'
import { PageHeader } from '../components/PageHeader'

/** A page whose engine is not built yet says so plainly; it never shows made-up data. */
export function PendingEnginePage({ title, missing, plans }: { title: string; missing: string; plans: string[] }) {
  return (
    <>
      <PageHeader title={title} />
      <Alert icon={<IconInfoCircle size={20} />} color="gray" variant="light" title="Not available yet" maw={760} data-testid="pending-engine">
        <Text size="sm">
          Not built into this version: {missing}. Nothing on this page is simulated: it stays empty until the engine is
          there.
        </Text>
      </Alert>
      <Paper withBorder p="md" mt="lg" maw={760}>
        <Text fw={600} size="sm" mb="xs">
          What it will do
        </Text>
        <List
          size="sm"
          spacing="xs"
          icon={
            <ThemeIcon size={18} variant="light" color="gray">
              <IconChevronRight size={12} />
            </ThemeIcon>
          }
        >
          {plans.map((plan) => (
            <List.Item key={plan}>{plan}</List.Item>
          ))}
        </List>
      </Paper>
    </>
  )
}
