import { Alert, Checkbox, Paper, Stack, Table, Text } from '@mantine/core'
import { IconInfoCircle } from '@tabler/icons-react'
import { formatBytes } from '../../../../shared/format'
import { FAT32_MAX_FILE_BYTES, type MediaInspection } from '../../../../shared/media'
import { ImageCells, ImageHeaderCells } from '../images/ImageCells'

/** What keeping these editions does to the install image, in words. */
function consequences(inspection: MediaInspection, kept: number): string[] {
  const install = inspection.install
  const all = kept === inspection.editions.length
  const large = install.files.find((f) => f.size > FAT32_MAX_FILE_BYTES)
  const lines: string[] = []
  if (all) {
    lines.push(large ? `${large.path} (${formatBytes(large.size)}) is copied as it is, then split into install.swm parts: a FAT32 file holds at most 4 GiB. Setup reads the parts.` : `${install.files.map((f) => f.path).join(', ')} is copied as it is.`)
    if (large) lines.push('Keeping fewer editions makes the install image smaller and can avoid the split; the review says whether it still needs one.')
    return lines
  }
  lines.push(`The ${kept} kept edition${kept === 1 ? ' is' : 's are'} exported into a new install image; the others are left off the medium.`)
  if (install.format === 'esd') lines.push('The source has an ESD: the kept editions are converted to an install.wim (LZX), which takes a while and takes more space than the ESD. Keep all editions to copy the ESD as it is.')
  else if (large) lines.push('The review says whether the smaller install image still needs splitting into install.swm parts.')
  return lines
}

/** Step 2: which editions go onto the medium (all by default). */
export function EditionsStep({ inspection, selected, onChange }: { inspection: MediaInspection; selected: number[]; onChange: (selected: number[]) => void }) {
  const all = inspection.editions.map((e) => e.index)
  const toggle = (index: number): void => onChange(selected.includes(index) ? selected.filter((i) => i !== index) : [...selected, index].sort((a, b) => a - b))
  const allChecked = selected.length === all.length
  return (
    <Stack gap="md">
      <Paper withBorder>
        <Table verticalSpacing="sm" highlightOnHover data-testid="media-editions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>
                <Checkbox
                  aria-label="Keep every edition"
                  checked={allChecked}
                  indeterminate={!allChecked && selected.length > 0}
                  onChange={() => onChange(allChecked ? [] : all)}
                />
              </Table.Th>
              <ImageHeaderCells sizeLabel="Installed size" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {inspection.editions.map((image) => (
              <Table.Tr key={image.index} data-testid="media-edition-row" onClick={() => toggle(image.index)} style={{ cursor: 'pointer' }}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Keep ${image.name ?? `image ${image.index}`}`}
                    checked={selected.includes(image.index)}
                    onChange={() => toggle(image.index)}
                    onClick={(e) => e.stopPropagation()}
                  />
                </Table.Td>
                <ImageCells image={image} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {selected.length === 0 ? (
        <Text size="sm" c="red" data-testid="media-editions-none">
          Keep at least one edition.
        </Text>
      ) : (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} data-testid="media-editions-effect">
          <Stack gap={4}>
            {consequences(inspection, selected.length).map((line) => (
              <Text key={line} size="sm">
                {line}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
    </Stack>
  )
}
