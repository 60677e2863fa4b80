import { Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core'
import type { MediaInspection, MediaLayout } from '../../../../shared/media'
import { layoutBlockedReason } from './media-request'
import { BLOCKED_CARD_STYLE } from './blocked-card'

const LAYOUTS: Array<{ value: MediaLayout; title: string; text: string }> = [
  { value: 'usb-uefi', title: 'UEFI (GPT)', text: 'A GPT disk with one FAT32 partition. Starts on UEFI machines, including with Secure Boot: every PC of the last ten years.' },
  { value: 'usb-bios-uefi', title: 'BIOS + UEFI (MBR)', text: 'An MBR disk with an active FAT32 partition and boot code. Starts on old BIOS machines too, and on UEFI ones.' },
]

/** The partition layout of the medium; one the source cannot start from is disabled with the reason. */
export function LayoutChoice({ inspection, value, onChange }: { inspection: MediaInspection; value: MediaLayout; onChange: (layout: MediaLayout) => void }) {
  return (
    <Radio.Group value={value} onChange={(v) => onChange(v as MediaLayout)} label="Partition layout" data-testid="media-layout">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" mt="xs">
        {LAYOUTS.map((layout) => {
          const blocked = layoutBlockedReason(layout.value, inspection)
          return (
            <Radio.Card
              key={layout.value}
              value={layout.value}
              disabled={blocked !== null}
              p="sm"
              radius="md"
              style={blocked ? BLOCKED_CARD_STYLE : undefined}
              data-testid={`media-layout-${layout.value}`}
            >
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <Radio.Indicator mt={2} disabled={blocked !== null} />
                <Stack gap={2}>
                  <Text fw={600} size="sm" c={blocked ? 'dimmed' : undefined}>
                    {layout.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {layout.text}
                  </Text>
                  {blocked && (
                    <Text size="xs" c="red">
                      {blocked}
                    </Text>
                  )}
                </Stack>
              </Group>
            </Radio.Card>
          )
        })}
      </SimpleGrid>
    </Radio.Group>
  )
}
