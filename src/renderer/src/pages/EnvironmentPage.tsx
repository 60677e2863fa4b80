import { Alert, Badge, Button, Code, Loader, Paper, SimpleGrid, Table, Text } from '@mantine/core'
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import type { ToolStatus } from '../../../shared/environment'
import { formatBytes } from '../../../shared/format'
import { PageHeader } from '../components/PageHeader'
import { useEnvironment } from '../hooks/use-environment'

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" mt={4}>
        {children}
      </Text>
    </Paper>
  )
}

function ToolBadge({ tool }: { tool: ToolStatus }) {
  if (!tool.found) return <Badge color="gray" variant="light">Missing</Badge>
  if (tool.error) return <Badge color="orange" variant="light">Does not run</Badge>
  return <Badge color="green" variant="light">Found</Badge>
}

export function EnvironmentPage() {
  const { report, error, loading, refresh } = useEnvironment()
  const tools = report?.tools.filter((t) => t.applicable) ?? []
  const otherOs = report?.tools.filter((t) => !t.applicable) ?? []
  return (
    <>
      <PageHeader
        title="Environment"
        description="This computer and the host tools the app can use. Built-in engines (WIM, FAT32, partition tables) need no tool; host tools unlock the rest."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={refresh} loading={loading}>
            Check again
          </Button>
        }
      />
      {error && (
        <Alert color="red" icon={<IconAlertTriangle size={20} />} mb="md">
          {error}
        </Alert>
      )}
      {!report ? (
        <Loader size="sm" />
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} mb="xl">
            <Fact label="System">
              {report.platform} {report.arch} · {report.osRelease}
            </Fact>
            <Fact label="Runtime">
              Node {report.nodeVersion}
              {report.electronVersion ? ` · Electron ${report.electronVersion}` : ' · headless server'}
            </Fact>
            <Fact label="Processor and memory">
              {report.cpuCount} cores ({report.workerThreads} worker threads) · {formatBytes(report.memoryBytes)}
            </Fact>
            <Fact label="Privileges">
              {report.elevated ? (
                <Badge color="orange" variant="light">Elevated: can write disks</Badge>
              ) : (
                'Normal user: writing a disk asks for elevation'
              )}
            </Fact>
          </SimpleGrid>
          <Text size="sm" c="dimmed" mb="xs">
            Logs and settings: <Code>{report.dataDir}</Code> · App version {report.appVersion}
          </Text>
          <Paper withBorder>
            <Table verticalSpacing="sm" data-testid="tool-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Tool</Table.Th>
                  <Table.Th miw={130}>Status</Table.Th>
                  <Table.Th>Version</Table.Th>
                  <Table.Th>What it unlocks</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tools.map((t) => (
                  <Table.Tr key={t.id} data-testid="tool-row" data-found={t.found}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {t.name}
                      </Text>
                      {t.path && (
                        <Text size="xs" c="dimmed" ff="monospace">
                          {t.path}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td miw={130}>
                      <ToolBadge tool={t} />
                    </Table.Td>
                    <Table.Td ff="monospace" fz="sm">
                      {t.version ?? '—'}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t.unlocks}</Text>
                      {!t.found && (
                        <Text size="xs" c="dimmed" mt={2}>
                          Get it: {t.howToGet}
                        </Text>
                      )}
                      {t.error && (
                        <Text size="xs" c="orange" mt={2}>
                          {t.error}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
          {otherOs.length > 0 && (
            <Text size="xs" c="dimmed" mt="sm">
              Used on other systems: {otherOs.map((t) => t.name).join(', ')}.
            </Text>
          )}
        </>
      )}
    </>
  )
}
