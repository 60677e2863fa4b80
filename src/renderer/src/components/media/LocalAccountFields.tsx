import { Checkbox, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import { MAX_USER_NAME_LENGTH } from '../../../../shared/unattend'
import type { AnswerForm } from './answer-form'

type Account = AnswerForm['account']

/** A local account Setup creates, so OOBE asks for none; its password is on the medium, readable. */
export function LocalAccountFields({ account, onChange, errors }: { account: Account; onChange: (account: Account) => void; errors: Record<string, string> }) {
  const set = (patch: Partial<Account>): void => onChange({ ...account, ...patch })
  return (
    <Stack gap="xs">
      <Checkbox
        label="Create a local account"
        description="Setup makes this account, so the first start asks for none"
        checked={account.enabled}
        onChange={(e) => set({ enabled: e.currentTarget.checked })}
        data-testid="answer-account"
      />
      {account.enabled && (
        <Stack gap="xs" pl={32}>
          <Group grow align="flex-start">
            <TextInput
              label="Account name"
              withAsterisk
              value={account.name}
              maxLength={MAX_USER_NAME_LENGTH}
              onChange={(e) => set({ name: e.currentTarget.value })}
              error={errors['localAccount.name']}
              data-testid="answer-account-name"
            />
            <PasswordInput
              label="Password"
              description="Optional: empty means no password"
              value={account.password}
              onChange={(e) => set({ password: e.currentTarget.value })}
              error={errors['localAccount.password']}
              data-testid="answer-account-password"
            />
          </Group>
          <Checkbox label="Administrator" checked={account.administrator} onChange={(e) => set({ administrator: e.currentTarget.checked })} />
          {account.password && (
            <Group gap={6} wrap="nowrap" align="flex-start" c="orange" data-testid="answer-password-warning">
              <IconAlertTriangle size={16} style={{ flexShrink: 0, marginTop: 2 }} />
              <Text size="xs">
                The password is stored in autounattend.xml only base64-encoded: anyone who has the stick can read it. Use a temporary one and change it
                after setup.
              </Text>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  )
}
