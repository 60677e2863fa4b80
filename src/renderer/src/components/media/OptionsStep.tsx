import { Checkbox, Grid, Stack, TextInput, Title } from '@mantine/core'
import { MAX_MEDIA_LABEL_LENGTH, type MediaInspection, type MediaLayout } from '../../../../shared/media'
import type { UnattendPreview } from '../../../../shared/unattend'
import type { AnswerForm } from './answer-form'
import { AnswerFileForm } from './AnswerFileForm'
import { AnswerFilePreview } from './AnswerFilePreview'
import { LayoutChoice } from './LayoutChoice'
import type { RegionalData } from './use-regional-data'

export interface MediaSettings {
  layout: MediaLayout
  label: string
  verify: boolean
  answers: AnswerForm
}

interface OptionsStepProps {
  inspection: MediaInspection
  settings: MediaSettings
  onChange: (settings: MediaSettings) => void
  errors: Record<string, string>
  regional: RegionalData
  languages: string[]
  preview: { preview: UnattendPreview | null; error: string | null; loading: boolean; wanted: boolean }
}

/** Step 4: how the medium is laid out and named, whether it is read back, and what the answer file asks. */
export function OptionsStep({ inspection, settings, onChange, errors, regional, languages, preview }: OptionsStepProps) {
  const set = (patch: Partial<MediaSettings>): void => onChange({ ...settings, ...patch })
  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Stack gap="lg">
          <LayoutChoice inspection={inspection} value={settings.layout} onChange={(layout) => set({ layout })} />
          <Stack gap="md">
            <TextInput
              label="Volume label"
              description={`Up to ${MAX_MEDIA_LABEL_LENGTH} characters; from the ISO by default`}
              value={settings.label}
              maxLength={MAX_MEDIA_LABEL_LENGTH}
              onChange={(e) => set({ label: e.currentTarget.value })}
              w={340}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              data-testid="media-label"
            />
            <Checkbox
              label="Verify: read everything back and compare"
              description="Catches failing and fake-capacity sticks"
              checked={settings.verify}
              onChange={(e) => set({ verify: e.currentTarget.checked })}
              data-testid="media-verify"
            />
          </Stack>
          <Stack gap="xs">
            <Title order={5}>Answer file</Title>
            <AnswerFileForm inspection={inspection} form={settings.answers} onChange={(answers) => set({ answers })} errors={errors} regional={regional} languages={languages} />
          </Stack>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <div style={{ position: 'sticky', top: 72 }}>
          <AnswerFilePreview {...preview} invalid={Object.keys(errors).length > 0} />
        </div>
      </Grid.Col>
    </Grid>
  )
}
