import { Anchor, Breadcrumbs, Checkbox, Group, Loader, ScrollArea, Table, Text } from '@mantine/core'
import { IconFile, IconFolder, IconLink } from '@tabler/icons-react'
import { formatBytes } from '../../../../shared/format'
import type { WimDirEntry } from '../../../../shared/wim'
import { useWimDir } from '../../hooks/use-wim'

function parentsOf(dir: string): Array<{ label: string; path: string }> {
  const parts = dir.split('\\').filter(Boolean)
  return [{ label: 'Image root', path: '\\' }, ...parts.map((label, i) => ({ label, path: `\\${parts.slice(0, i + 1).join('\\')}` }))]
}

function EntryIcon({ entry }: { entry: WimDirEntry }) {
  if (entry.kind === 'directory') return <IconFolder size={16} color="var(--mantine-color-yellow-6)" />
  if (entry.kind === 'symlink' || entry.kind === 'reparse-point') return <IconLink size={16} />
  return <IconFile size={16} color="var(--mantine-color-dimmed)" />
}

/**
 * The files of an image, one folder at a time (the way a technician looks for the driver
 * folder or the answer file), with check boxes to pick what to extract.
 */
export function ImageBrowser(props: {
  path: string
  image: number
  dir: string
  onOpen: (dir: string) => void
  selected: Set<string>
  onToggle: (path: string) => void
}) {
  const { value: entries, error, loading } = useWimDir(props.path, props.image, props.dir)
  return (
    <>
      <Breadcrumbs mb="sm" separatorMargin={6}>
        {parentsOf(props.dir).map((p) => (
          <Anchor key={p.path} size="sm" onClick={() => props.onOpen(p.path)} data-testid="breadcrumb">
            {p.label}
          </Anchor>
        ))}
      </Breadcrumbs>
      {error && <Text c="red">{error}</Text>}
      {loading && <Loader size="sm" />}
      {entries && (
        <ScrollArea.Autosize mah={480} type="auto">
          <Table highlightOnHover verticalSpacing={6} data-testid="image-files">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36} />
                <Table.Th>Name</Table.Th>
                <Table.Th ta="right">Size</Table.Th>
                <Table.Th>Modified</Table.Th>
                <Table.Th>Attributes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" size="sm">
                      This folder is empty.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {entries.map((e) => (
                <Table.Tr key={e.path} data-testid="image-file-row">
                  <Table.Td>
                    <Checkbox size="xs" checked={props.selected.has(e.path)} onChange={() => props.onToggle(e.path)} aria-label={`Select ${e.name}`} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <EntryIcon entry={e} />
                      {e.kind === 'directory' ? (
                        <Anchor size="sm" onClick={() => props.onOpen(e.path)}>
                          {e.name}
                        </Anchor>
                      ) : (
                        <Text size="sm">
                          {e.name}
                          {e.linkTarget && (
                            <Text span c="dimmed" size="sm">
                              {' '}
                              → {e.linkTarget}
                            </Text>
                          )}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {e.kind === 'directory' ? '' : formatBytes(e.size)}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{e.lastWriteTime ? new Date(e.lastWriteTime).toLocaleString() : '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {[
                        e.attributeNames.filter((a) => a !== 'Directory' && a !== 'Archive').join(', '),
                        e.linkCount > 1 ? `${e.linkCount} hard links` : '',
                        e.namedStreams.length ? `streams: ${e.namedStreams.join(', ')}` : '',
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </>
  )
}
