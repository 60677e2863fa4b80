import { Badge, Group, Table, Text } from '@mantine/core'
import type { PartitionRow } from '../../../../shared/drives'
import { formatBytes } from '../../../../shared/format'

/** Partitions in disk order, as a technician reads them. */
export function PartitionTable({ rows, testId }: { rows: PartitionRow[]; testId?: string }) {
  return (
    <Table verticalSpacing={6} fz="sm" data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={40}>#</Table.Th>
          <Table.Th>Name</Table.Th>
          <Table.Th>Type</Table.Th>
          <Table.Th ta="right">Start</Table.Th>
          <Table.Th ta="right">Size</Table.Th>
          <Table.Th>Flags</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.index} data-testid="partition-row">
            <Table.Td>{row.index}</Table.Td>
            <Table.Td>{row.name || <Text span c="dimmed">—</Text>}</Table.Td>
            <Table.Td>
              <Text span size="sm">
                {row.typeLabel}
              </Text>{' '}
              <Text span size="xs" c="dimmed" ff="monospace">
                {row.typeCode.length > 4 ? '' : row.typeCode}
              </Text>
            </Table.Td>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              {formatBytes(row.startBytes)}
            </Table.Td>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              {formatBytes(row.sizeBytes)}
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {row.flags.map((f) => (
                  <Badge key={f} size="xs" variant="light" color="gray">
                    {f}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
