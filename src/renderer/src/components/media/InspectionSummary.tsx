import { Alert, Badge, Group, List, Paper, SimpleGrid, Stack, Text } from '@mantine/core'
import { IconAlertTriangle, IconDisc } from '@tabler/icons-react'
import { formatBytes } from '../../../../shared/format'
import type { MediaInspection } from '../../../../shared/media'
import { Fact } from '../Fact'

const FORMAT_WORDS: Record<MediaInspection['install']['format'], string> = { wim: 'WIM', esd: 'ESD (solid, LZMS)', swm: 'split WIM (.swm)' }

function BootSupport({ inspection }: { inspection: MediaInspection }) {
  return (
    <Group gap={6}>
      {inspection.uefi.length > 0 ? (
        <Badge color="green" variant="light">
          UEFI {inspection.uefi.join(', ')}
        </Badge>
      ) : (
        <Badge color="gray" variant="outline">
          No UEFI loader
        </Badge>
      )}
      {inspection.bios ? (
        <Badge color="green" variant="light">
          BIOS (bootmgr)
        </Badge>
      ) : (
        <Badge color="gray" variant="outline">
          No BIOS boot
        </Badge>
      )}
    </Group>
  )
}

/** What media.inspect found in the source: enough to know it is the right ISO before going on. */
export function InspectionSummary({ inspection }: { inspection: MediaInspection }) {
  const install = inspection.install
  return (
    <Paper withBorder p="md" data-testid="media-inspection">
      <Group gap="xs" mb="sm" wrap="nowrap">
        <IconDisc size={20} />
        <Text fw={600} size="sm" style={{ wordBreak: 'break-all' }}>
          {inspection.description}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" verticalSpacing="sm">
        <Fact label="Volume label">{inspection.volumeLabel ?? '— (a folder)'}</Fact>
        <Fact label="Label of the medium">{inspection.defaultLabel}</Fact>
        <Fact label="Install image">
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {install.files.map((f) => f.path).join(', ')}
          </Text>
          <Text size="sm">
            {FORMAT_WORDS[install.format]} · {formatBytes(install.bytes)}
          </Text>
        </Fact>
        <Fact label="Editions">{inspection.editions.length}</Fact>
        <Fact label="Boots on">
          <BootSupport inspection={inspection} />
        </Fact>
        <Fact label="Boot image">{inspection.bootWim ?? 'None found'}</Fact>
        <Fact label="Files">
          {inspection.fileCount.toLocaleString()} · {formatBytes(inspection.totalBytes)}
        </Fact>
        <Fact label="Answer file">{inspection.hasAnswerFile ? 'Has autounattend.xml' : 'None'}</Fact>
      </SimpleGrid>
      {inspection.notes.length > 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Worth knowing" mt="md" data-testid="media-notes">
          <Stack gap={4}>
            {inspection.notes.length === 1 ? (
              <Text size="sm">{inspection.notes[0]}</Text>
            ) : (
              <List size="sm">
                {inspection.notes.map((n) => (
                  <List.Item key={n}>{n}</List.Item>
                ))}
              </List>
            )}
          </Stack>
        </Alert>
      )}
    </Paper>
  )
}
