import { Alert, Checkbox, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core'
import type { RegionalSettings } from '../../../../shared/unattend'
import type { RegionalData } from './use-regional-data'

interface RegionalFieldsProps {
  value: RegionalSettings | null
  onChange: (value: RegionalSettings | null) => void
  data: RegionalData
  /** The kept editions' languages: the display language must be one of them. */
  languages: string[]
  errors: Record<string, string>
}

function hostSummary(settings: RegionalSettings): string {
  return `${settings.uiLanguage}, formats ${settings.userLocale}, keyboard ${settings.inputLocale}, ${settings.timeZone}`
}

/** Language, formats, keyboard and time zone, starting from this computer's. */
export function RegionalFields({ value, onChange, data, languages, errors }: RegionalFieldsProps) {
  const set = (patch: Partial<RegionalSettings>): void => {
    if (value) onChange({ ...value, ...patch })
  }
  const error = (field: keyof RegionalSettings): string | undefined => errors[`regional.${field}`]
  const languageChoices = value && !languages.includes(value.uiLanguage) ? [value.uiLanguage, ...languages] : languages
  return (
    <Stack gap="xs">
      <Checkbox
        label="Set language, region and time zone"
        description={data.defaults ? `Otherwise Setup asks. Starts from this computer's: ${hostSummary(data.defaults)}` : 'Otherwise Setup asks.'}
        checked={value !== null}
        disabled={!data.defaults}
        onChange={(e) => onChange(e.currentTarget.checked ? data.defaults : null)}
        data-testid="answer-regional"
      />
      {data.error && (
        <Text size="xs" c="red">
          {data.error}
        </Text>
      )}
      {value && (
        <Stack gap="xs" pl={32}>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" verticalSpacing="xs">
            {languageChoices.length > 0 ? (
              <Select
                label="Display language"
                description="One the image has"
                data={languageChoices}
                value={value.uiLanguage}
                onChange={(v) => v && set({ uiLanguage: v })}
                allowDeselect={false}
                error={error('uiLanguage')}
                data-testid="answer-ui-language"
              />
            ) : (
              <TextInput label="Display language" description="Of Setup and Windows" value={value.uiLanguage} onChange={(e) => set({ uiLanguage: e.currentTarget.value })} error={error('uiLanguage')} />
            )}
            <Select
              label="Time zone"
              description="Windows time zone"
              data={data.timeZones}
              value={value.timeZone}
              onChange={(v) => v && set({ timeZone: v })}
              searchable
              allowDeselect={false}
              error={error('timeZone')}
              data-testid="answer-time-zone"
            />
            <TextInput label="Formats" description="Dates, numbers, currency" value={value.userLocale} onChange={(e) => set({ userLocale: e.currentTarget.value })} error={error('userLocale')} />
            <TextInput
              label="Keyboards"
              description="Default first; separate with ;"
              placeholder="0409:00000409 or en-US"
              value={value.inputLocale}
              onChange={(e) => set({ inputLocale: e.currentTarget.value })}
              error={error('inputLocale')}
              data-testid="answer-keyboard"
            />
            <TextInput
              label="System locale"
              description="For programs without Unicode"
              value={value.systemLocale}
              onChange={(e) => set({ systemLocale: e.currentTarget.value })}
              error={error('systemLocale')}
            />
          </SimpleGrid>
          {data.fallbacks.length > 0 && (
            <Alert color="gray" variant="light" py="xs">
              <Text size="xs">This computer has no Windows equivalent for: {data.fallbacks.join(', ')}. en-US or UTC was put in instead.</Text>
            </Alert>
          )}
        </Stack>
      )}
    </Stack>
  )
}
