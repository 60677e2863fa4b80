import { Alert, Checkbox, Stack, Text } from '@mantine/core'
import { IconInfoCircle } from '@tabler/icons-react'
import type { MediaInspection } from '../../../../shared/media'
import type { AnswerForm, AnswerSwitch } from './answer-form'
import { LocalAccountFields } from './LocalAccountFields'
import { RegionalFields } from './RegionalFields'
import type { RegionalData } from './use-regional-data'

const SWITCHES: Array<{ key: AnswerSwitch; label: string; description: string }> = [
  { key: 'bypassHardwareChecks', label: 'Skip the TPM, Secure Boot and RAM checks', description: 'Windows 11 Setup then installs on hardware it would refuse' },
  { key: 'skipOnlineAccount', label: 'Allow setup without a Microsoft account', description: 'The first start offers a local account, also offline' },
  { key: 'skipPrivacyQuestions', label: 'Skip the privacy questions', description: 'Their settings are left off' },
  { key: 'preventDeviceEncryption', label: 'Prevent BitLocker device encryption', description: 'Windows does not encrypt the disk by itself after setup' },
]

interface AnswerFileFormProps {
  inspection: MediaInspection
  form: AnswerForm
  onChange: (form: AnswerForm) => void
  errors: Record<string, string>
  regional: RegionalData
  languages: string[]
}

/** What autounattend.xml asks of Setup; nothing ticked, no answer file. */
export function AnswerFileForm({ inspection, form, onChange, errors, regional, languages }: AnswerFileFormProps) {
  if (inspection.architectures.length === 0) {
    return (
      <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} data-testid="answer-unavailable">
        No answer file can be written: the install image does not say which processor architecture its editions are for, and Setup ignores
        settings for another one.
      </Alert>
    )
  }
  return (
    <Stack gap="sm" data-testid="answer-form">
      {inspection.hasAnswerFile && (
        <Text size="xs" c="orange">
          The source has its own autounattend.xml: with any option ticked here, the one written by this app replaces it.
        </Text>
      )}
      {SWITCHES.map((s) => (
        <Checkbox
          key={s.key}
          label={s.label}
          description={s.description}
          checked={form[s.key]}
          onChange={(e) => onChange({ ...form, [s.key]: e.currentTarget.checked })}
          data-testid={`answer-${s.key}`}
        />
      ))}
      <LocalAccountFields account={form.account} onChange={(account) => onChange({ ...form, account })} errors={errors} />
      <RegionalFields value={form.regional} onChange={(value) => onChange({ ...form, regional: value })} data={regional} languages={languages} errors={errors} />
    </Stack>
  )
}
