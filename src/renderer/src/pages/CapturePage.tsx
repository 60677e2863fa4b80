import { Alert, Button, Checkbox, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconCamera, IconInfoCircle } from '@tabler/icons-react'
import { useState } from 'react'
import { formatBytes } from '../../../shared/format'
import type { CaptureReport, WimCompression } from '../../../shared/wim'
import { useClient } from '../client-context'
import { COMPRESSION_CHOICES } from '../components/images/compression'
import { JobCard } from '../components/JobCard'
import { PageHeader } from '../components/PageHeader'
import { useJobs } from '../hooks/use-jobs'

const DEFAULT_EXCLUSIONS = ['\\pagefile.sys', '\\hiberfil.sys', '\\swapfile.sys', '\\System Volume Information', '\\$Recycle.Bin', '\\RECYCLER', '\\Windows\\CSC', '\\$ntfs.log']

function CaptureSummary({ report }: { report: CaptureReport }) {
  return (
    <Alert color="green" title={`Image ${report.image} "${report.imageName}" is in ${report.wim}`} data-testid="capture-summary">
      <Text size="sm">
        {report.files} files, {report.directories} folders, {report.hardLinks} hard links and {report.symlinks} links; {formatBytes(report.dataBytes)} of data.{' '}
        {report.newBlobs} contents stored, {report.reusedBlobs} already in the WIM. The WIM is now {formatBytes(report.wimBytes)}.
      </Text>
      {report.excludedCount > 0 && (
        <Text size="sm" mt={4}>
          Left out: {report.excluded.slice(0, 8).join(', ')}
          {report.excludedCount > 8 ? ` and ${report.excludedCount - 8} more` : ''}.
        </Text>
      )}
    </Alert>
  )
}

export function CapturePage() {
  const client = useClient()
  const { jobs } = useJobs()
  const [source, setSource] = useState('')
  const [wim, setWim] = useState('')
  const [mode, setMode] = useState<'create' | 'append'>('create')
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [flags, setFlags] = useState('')
  const [compression, setCompression] = useState<WimCompression>('lzx')
  const [solid, setSolid] = useState(false)
  const [integrity, setIntegrity] = useState(false)
  const [boot, setBoot] = useState(false)
  const [configFile, setConfigFile] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [jobId, setJobId] = useState<string | null>(null)
  const job = jobs.find((j) => j.id === jobId) ?? null

  const start = (): void => {
    setError(null)
    client.api.wim
      .capture({
        source: source.trim(),
        wim: wim.trim(),
        append: mode === 'append',
        name: name.trim(),
        description: description.trim() || undefined,
        flags: flags.trim() || undefined,
        compression: solid ? 'lzms' : compression,
        solid,
        integrity,
        boot,
        configFile: configFile.trim() || undefined,
      })
      .then((j) => setJobId(j.id), (e: Error) => setError(e.message))
  }

  return (
    <>
      <PageHeader
        title="Capture"
        description="Capture a folder — a reference PC's volume mounted or copied here, or any tree of files — as an image in a new or existing WIM. Identical files are stored once, also across images."
      />
      <Alert icon={<IconInfoCircle size={18} />} color="gray" variant="light" mb="lg" maw={900}>
        <Text size="sm">
          This captures files, folders, hard links, symbolic links and times. NTFS security descriptors, alternate data streams
          and short names of a Windows volume are kept only when capturing the raw volume through wimlib-imagex (NTFS-3G) or
          DISM, which this page does not do yet.
        </Text>
      </Alert>
      <Paper withBorder p="lg" maw={900}>
        <Stack>
          <TextInput label="Folder to capture" placeholder="/mnt/reference-pc" value={source} onChange={(e) => setSource(e.currentTarget.value)} data-testid="capture-source" />
          <Group align="flex-end" grow>
            <TextInput label="WIM file" placeholder="/images/reference.wim" value={wim} onChange={(e) => setWim(e.currentTarget.value)} data-testid="capture-wim" />
            <SegmentedControl
              value={mode}
              onChange={(v) => setMode(v as 'create' | 'append')}
              data={[
                { value: 'create', label: 'New WIM' },
                { value: 'append', label: 'Add to existing WIM' },
              ]}
            />
          </Group>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <TextInput label="Image name" placeholder="Windows 11 Pro reference" value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="capture-name" />
            <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            <TextInput label="Edition flags" placeholder="Professional" value={flags} onChange={(e) => setFlags(e.currentTarget.value)} />
          </SimpleGrid>
          <Group align="flex-end" grow>
            <Select
              label="Compression"
              data={COMPRESSION_CHOICES}
              value={solid ? 'lzms' : compression}
              onChange={(v) => v && setCompression(v as WimCompression)}
              disabled={mode === 'append' || solid}
              description={mode === 'append' ? 'An existing WIM keeps its own compression' : undefined}
              allowDeselect={false}
              data-testid="capture-compression"
            />
            <Stack gap={6} pb={4}>
              <Checkbox label="Solid (ESD style, LZMS: smallest file, slow to make)" checked={solid} onChange={(e) => setSolid(e.currentTarget.checked)} disabled={mode === 'append'} />
              <Checkbox label="Add an integrity table" checked={integrity} onChange={(e) => setIntegrity(e.currentTarget.checked)} />
              <Checkbox label="Make this the boot image" checked={boot} onChange={(e) => setBoot(e.currentTarget.checked)} />
            </Stack>
          </Group>
          <div>
            <Text size="sm" fw={500}>
              Left out by default
            </Text>
            <Text size="xs" c="dimmed" ff="monospace">
              {DEFAULT_EXCLUSIONS.join('  ')}
            </Text>
          </div>
          <TextInput label="Exclusion list (optional)" description="A WimScript.ini file: [ExclusionList], [ExclusionException], [CompressionExclusionList]" placeholder="/path/to/WimScript.ini" value={configFile} onChange={(e) => setConfigFile(e.currentTarget.value)} />
          {error && (
            <Text c="red" size="sm" data-testid="capture-error">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button leftSection={<IconCamera size={16} />} onClick={start} disabled={!source.trim() || !wim.trim() || !name.trim() || job?.state === 'running'} data-testid="capture-start">
              {mode === 'append' ? 'Capture and add' : 'Capture'}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {job && (
        <Stack mt="lg" maw={900}>
          <Title order={4}>Capture</Title>
          <JobCard job={job} />
          {job.state === 'succeeded' && <CaptureSummary report={job.result as CaptureReport} />}
        </Stack>
      )}
    </>
  )
}
