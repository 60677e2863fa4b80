import { ActionIcon, Alert, Badge, Button, Group, Loader, Menu, Modal, Paper, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconArrowsSplit, IconBolt, IconDots, IconDownload, IconEdit, IconFileExport, IconFolderOpen, IconPlayerPlay, IconShieldCheck, IconStack2, IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import { formatBytes } from '../../../shared/format'
import type { WimImageSummary, WimSummary } from '../../../shared/wim'
import { useAppEvents, useClient } from '../client-context'
import { Fact } from '../components/Fact'
import { ImageBrowser } from '../components/images/ImageBrowser'
import { ImageCells, ImageHeaderCells } from '../components/images/ImageCells'
import { EditImageDialog, ExportDialog, SplitDialog } from '../components/images/WimActionDialogs'
import { JobCard } from '../components/JobCard'
import { PageHeader } from '../components/PageHeader'
import { PathField } from '../components/PathField'
import { useJobs } from '../hooks/use-jobs'
import { useRecentPaths } from '../hooks/use-recent-paths'
import { useWimInfo } from '../hooks/use-wim'

const RECENT_KEY = 'imaging.recent-wims'

interface WimActions {
  verify: () => void
  exportImages: () => void
  split: () => void
  optimize: () => void
}

function SummaryCard({ summary, actions }: { summary: WimSummary; actions: WimActions }) {
  return (
    <Paper withBorder p="md" mb="lg" data-testid="wim-summary">
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <IconStack2 size={20} />
          <Text fw={600} ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
            {summary.path}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" size="xs" leftSection={<IconFileExport size={14} />} onClick={actions.exportImages} data-testid="wim-export">
            Export…
          </Button>
          <Button variant="default" size="xs" leftSection={<IconShieldCheck size={14} />} onClick={actions.verify} data-testid="wim-verify">
            Verify
          </Button>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="default" size={30} aria-label="More actions" data-testid="wim-more">
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconArrowsSplit size={14} />} onClick={actions.split} data-testid="wim-split">
                Split into parts…
              </Menu.Item>
              <Menu.Item leftSection={<IconBolt size={14} />} onClick={actions.optimize} data-testid="wim-optimize">
                Optimize (reclaim dead space)
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 6 }}>
        <Fact label="Size">{formatBytes(summary.sizeBytes)}</Fact>
        <Fact label="Compression">
          {summary.compression.toUpperCase()}
          {summary.compression !== 'none' && ` · ${formatBytes(summary.chunkSize, 0)} chunks`}
        </Fact>
        <Fact label="Format">{summary.solid ? 'Solid (ESD-style)' : 'Standard WIM'}</Fact>
        <Fact label="Parts">{summary.totalParts === 1 ? 'Single file' : `${summary.totalParts} parts (split set)`}</Fact>
        <Fact label="Boot image">{summary.bootIndex ? `Image ${summary.bootIndex}` : 'None'}</Fact>
        <Fact label="Integrity table">{summary.hasIntegrityTable ? 'Present' : 'None'}</Fact>
      </SimpleGrid>
      {summary.warnings.map((w) => (
        <Text key={w} size="xs" c="orange" mt="xs">
          {w}
        </Text>
      ))}
    </Paper>
  )
}

function ImageTable({ images, selected, onSelect }: { images: WimImageSummary[]; selected: number; onSelect: (index: number) => void }) {
  return (
    <Paper withBorder mb="lg">
      <Table highlightOnHover verticalSpacing="sm" data-testid="wim-images">
        <Table.Thead>
          <Table.Tr>
            <ImageHeaderCells>
              <Table.Th ta="right">Files</Table.Th>
            </ImageHeaderCells>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {images.map((image) => (
            <Table.Tr
              key={image.index}
              onClick={() => onSelect(image.index)}
              style={{ cursor: 'pointer' }}
              bg={image.index === selected ? 'var(--mantine-primary-color-light)' : undefined}
              data-testid="wim-image-row"
            >
              <ImageCells image={image}>
                <Table.Td ta="right">{image.fileCount ?? '—'}</Table.Td>
              </ImageCells>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}

function ImageDetails({ image }: { image: WimImageSummary }) {
  const rows: Array<[string, string | number | null]> = [
    ['Name', image.name],
    ['Description', image.description],
    ['Display name', image.displayName],
    ['Product', image.productName],
    ['Edition ID', image.editionId],
    ['Flags', image.flags],
    ['Installation type', image.installationType],
    ['Product type', image.productType],
    ['Architecture', image.architecture],
    ['Version', image.version],
    ['Languages', image.languages.length ? `${image.languages.join(', ')}${image.defaultLanguage ? ` (default ${image.defaultLanguage})` : ''}` : null],
    ['Folders', image.dirCount],
    ['Files', image.fileCount],
    ['Total size', image.totalBytes === null ? null : `${formatBytes(image.totalBytes)} (${image.totalBytes.toLocaleString()} bytes)`],
    ['Hard-linked bytes', image.hardLinkBytes === null ? null : formatBytes(image.hardLinkBytes)],
    ['Created', image.creationTime && new Date(image.creationTime).toLocaleString()],
    ['Last modified', image.lastModificationTime && new Date(image.lastModificationTime).toLocaleString()],
  ]
  return (
    <Table verticalSpacing={6} data-testid="wim-image-details">
      <Table.Tbody>
        {rows
          .filter(([, v]) => v !== null && v !== '')
          .map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td w={200} c="dimmed">
                {k}
              </Table.Td>
              <Table.Td>{String(v)}</Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
    </Table>
  )
}

interface Destination {
  title: string
  action: string
  start: (target: string) => Promise<{ id: string }>
}

function DestinationModal({ destination, onClose, onStarted }: { destination: Destination | null; onClose: () => void; onStarted: (id: string) => void }) {
  const [target, setTarget] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const start = (): void => {
    if (!destination) return
    setBusy(true)
    setError(null)
    destination
      .start(target.trim())
      .then((job) => {
        onStarted(job.id)
        onClose()
      }, (e: Error) => setError(e.message))
      .finally(() => setBusy(false))
  }
  return (
    <Modal opened={destination !== null} onClose={onClose} title={destination?.title} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          The folder must be empty or not exist yet. Windows security settings, short names and alternate streams cannot be
          kept on this computer's file system; the report lists what was left out.
        </Text>
        <TextInput label="Destination folder" placeholder="/path/to/folder" value={target} onChange={(e) => setTarget(e.currentTarget.value)} error={error} data-autofocus data-testid="destination-path" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={start} loading={busy} disabled={!target.trim()} data-testid="destination-start">
            {destination?.action}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

export function ImagesPage() {
  const client = useClient()
  const [input, setInput] = useState('')
  const [opened, setOpened] = useState<string | null>(null)
  const [version, setVersion] = useState(0)
  const { recent, remember } = useRecentPaths(RECENT_KEY)
  const [image, setImage] = useState(1)
  const [dir, setDir] = useState('\\')
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [destination, setDestination] = useState<Destination | null>(null)
  const [startedHere, setStartedHere] = useState<string[]>([])
  const [dialog, setDialog] = useState<'export' | 'split' | 'edit' | null>(null)
  const [confirmDelete, setConfirmDelete] = useState<number | null>(null)
  // Jobs that change the opened WIM (optimize): reopen it when they succeed.
  const [reloadAfter, setReloadAfter] = useState<string[]>([])
  const { value: summary, error, loading } = useWimInfo(opened, version)
  const { jobs } = useJobs()
  useAppEvents((event) => {
    if (event.type !== 'job' || event.job.state !== 'succeeded' || !reloadAfter.includes(event.job.id)) return
    setReloadAfter((ids) => ids.filter((id) => id !== event.job.id))
    setVersion((v) => v + 1)
  })

  const open = (path: string): void => {
    const trimmed = path.trim()
    if (!trimmed) return
    setInput(trimmed)
    setOpened(trimmed)
    setVersion((v) => v + 1)
    setImage(1)
    setDir('\\')
    setSelected(new Set())
    remember(trimmed)
  }
  const started = (id: string): void => setStartedHere((ids) => [id, ...ids])
  const failed = (title: string) => (e: Error) => notifications.show({ color: 'red', title, message: e.message })
  const reload = (): void => setVersion((v) => v + 1)
  const verify = (): void => {
    if (!summary) return
    client.api.wim.verify({ path: summary.path }).then((job) => started(job.id), failed('Could not verify'))
  }
  const optimize = (): void => {
    if (!summary) return
    client.api.wim.optimize({ path: summary.path }).then((job) => {
      started(job.id)
      setReloadAfter((ids) => [...ids, job.id])
    }, failed('Could not optimize'))
  }
  const setBoot = (index: number): void => {
    if (!summary) return
    client.api.wim.setBootIndex({ path: summary.path, image: index }).then(reload, failed('Could not set the boot image'))
  }
  const removeImage = (index: number): void => {
    if (!summary) return
    client.api.wim.deleteImage({ path: summary.path, image: index }).then(() => {
      setImage(1)
      setDir('\\')
      setConfirmDelete(null)
      reload()
    }, failed('Could not delete the image'))
  }
  const toggle = (path: string): void =>
    setSelected((current) => {
      const next = new Set(current)
      if (next.has(path)) next.delete(path)
      else next.add(path)
      return next
    })
  const current = summary?.images.find((i) => i.index === image) ?? null

  return (
    <>
      <PageHeader
        title="Images"
        description="Open a WIM, an ESD (such as install.esd from Microsoft's media) or the first part of a split set (install.swm): see its editions, browse their files, apply or extract them, and check the file."
      />
      <Stack mb="md">
        <PathField
          value={input}
          onChange={setInput}
          onSubmit={open}
          ariaLabel="WIM file path"
          placeholder="/path/to/install.wim"
          icon={<IconFolderOpen size={16} />}
          action="Open"
          testId="wim-path"
          actionTestId="wim-open"
          maxWidth={800}
        />
      </Stack>
      {recent.length > 0 && !summary && (
        <Group gap="xs" mb="lg">
          <Text size="xs" c="dimmed">
            Recent:
          </Text>
          {recent.map((r) => (
            <Badge key={r} variant="light" color="gray" style={{ cursor: 'pointer', textTransform: 'none' }} onClick={() => open(r)}>
              {r}
            </Badge>
          ))}
        </Group>
      )}
      {loading && <Loader size="sm" />}
      {error && (
        <Alert color="red" icon={<IconAlertTriangle size={20} />} title="Could not open this file" mb="md" data-testid="wim-error">
          {error}
        </Alert>
      )}
      {!opened && (
        <Paper withBorder p="xl">
          <Text c="dimmed" ta="center">
            Type the path of a .wim, .esd or .swm file and press Open.
          </Text>
        </Paper>
      )}
      {summary && (
        <>
          <SummaryCard summary={summary} actions={{ verify, optimize, exportImages: () => setDialog('export'), split: () => setDialog('split') }} />
          <Title order={4} mb="xs">
            Images
          </Title>
          <ImageTable
            images={summary.images}
            selected={image}
            onSelect={(i) => {
              setImage(i)
              setDir('\\')
              setSelected(new Set())
            }}
          />
          {current && (
            <Paper withBorder p="md" mb="lg">
              <Group justify="space-between" mb="sm">
                <Title order={4}>
                  Image {current.index}: {current.name ?? '(unnamed)'}
                </Title>
                <Group gap="xs">
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button variant="default" rightSection={<IconDots size={14} />} data-testid="image-more">
                        Image
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item leftSection={<IconEdit size={14} />} onClick={() => setDialog('edit')} data-testid="image-edit">
                        Rename or describe…
                      </Menu.Item>
                      <Menu.Item leftSection={<IconPlayerPlay size={14} />} disabled={summary.bootIndex === current.index} onClick={() => setBoot(current.index)} data-testid="image-boot">
                        Make this the boot image
                      </Menu.Item>
                      <Menu.Divider />
                      <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setConfirmDelete(current.index)} data-testid="image-delete">
                        Delete image…
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                  <Button
                    variant="default"
                    leftSection={<IconDownload size={16} />}
                    disabled={selected.size === 0}
                    onClick={() =>
                      setDestination({
                        title: `Extract ${selected.size} item${selected.size === 1 ? '' : 's'} of image ${current.index}`,
                        action: 'Extract',
                        start: (target) => client.api.wim.extract({ path: summary.path, image: current.index, paths: [...selected], target }),
                      })
                    }
                    data-testid="wim-extract"
                  >
                    Extract selected{selected.size ? ` (${selected.size})` : ''}
                  </Button>
                  <Button
                    onClick={() =>
                      setDestination({
                        title: `Apply image ${current.index} (${current.name ?? 'unnamed'})`,
                        action: 'Apply image',
                        start: (target) => client.api.wim.apply({ path: summary.path, image: current.index, target }),
                      })
                    }
                    data-testid="wim-apply"
                  >
                    Apply to a folder
                  </Button>
                </Group>
              </Group>
              <Tabs defaultValue="files">
                <Tabs.List mb="sm">
                  <Tabs.Tab value="files">Files</Tabs.Tab>
                  <Tabs.Tab value="details">Details</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="files">
                  <ImageBrowser path={summary.path} image={current.index} dir={dir} onOpen={setDir} selected={selected} onToggle={toggle} />
                </Tabs.Panel>
                <Tabs.Panel value="details">
                  <ImageDetails image={current} />
                </Tabs.Panel>
              </Tabs>
            </Paper>
          )}
        </>
      )}
      {startedHere.length > 0 && (
        <Stack gap="md" mb="lg">
          <Title order={4}>Jobs started here</Title>
          {jobs
            .filter((j) => startedHere.includes(j.id))
            .map((job) => (
              <JobCard key={job.id} job={job} />
            ))}
        </Stack>
      )}
      <DestinationModal destination={destination} onClose={() => setDestination(null)} onStarted={started} />
      {summary && dialog === 'export' && <ExportDialog summary={summary} initial={image} onClose={() => setDialog(null)} onStarted={started} />}
      {summary && dialog === 'split' && <SplitDialog summary={summary} onClose={() => setDialog(null)} onStarted={started} />}
      {summary && current && dialog === 'edit' && <EditImageDialog summary={summary} image={current} onClose={() => setDialog(null)} onSaved={reload} />}
      <Modal opened={confirmDelete !== null} onClose={() => setConfirmDelete(null)} title="Delete image" size="md">
        <Stack>
          <Text size="sm">
            Image {confirmDelete} ({summary?.images.find((i) => i.index === confirmDelete)?.name ?? 'unnamed'}) will be removed from {summary?.path}. Its
            data stays in the file until you optimize it.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(null)}>
              Keep it
            </Button>
            <Button color="red" onClick={() => confirmDelete !== null && removeImage(confirmDelete)} data-testid="image-delete-confirm">
              Delete image
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}
