import { Group, Input, NumberInput, SegmentedControl, Stack, Text } from '@mantine/core'

/** The size of a new image file: just big enough for the medium, or a size to match a stick. */
export function NewFileSize({ sizeGiB, onChange }: { sizeGiB: number | null; onChange: (sizeGiB: number | null) => void }) {
  return (
    <Stack gap={6} pl="md" py={4} style={{ borderLeft: '3px solid var(--mantine-primary-color-filled)' }} data-testid="media-new-file-size">
      <Input.Label>Size of the new file</Input.Label>
      <Group gap="sm" align="center">
        <SegmentedControl
          value={sizeGiB === null ? 'fit' : 'fixed'}
          onChange={(v) => onChange(v === 'fit' ? null : 8)}
          data={[
            { value: 'fit', label: 'Sized to fit' },
            { value: 'fixed', label: 'Fixed size' },
          ]}
          aria-label="Size of the new image file"
        />
        {sizeGiB !== null && (
          <NumberInput
            aria-label="Size in GiB"
            suffix=" GiB"
            min={0.25}
            step={1}
            decimalScale={2}
            value={sizeGiB}
            onChange={(v) => onChange(typeof v === 'number' ? v : Number(v) || 0)}
            w={140}
            data-testid="media-new-file-gib"
          />
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {sizeGiB === null ? 'Just large enough for the files: the review gives the size.' : 'The size of the stick you will flash it to, or smaller; the review says if it is too small.'}
      </Text>
    </Stack>
  )
}
