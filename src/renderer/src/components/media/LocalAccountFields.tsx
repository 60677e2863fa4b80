import { Checkbox, Group, PasswordInput, Stack, TextInput } from '@mantine/core'
import { MAX_USER_NAME_LENGTH } from '../../../../shared/unattend'
import type { AnswerForm } from './answer-form'

type Account = AnswerForm['account']

/** A local account Setup creates, so OOBE asks for none. That its password is readable on the medium is the engine's warning, beside the preview. */
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
        </Stack>
      )}
    </Stack>
  )
}
