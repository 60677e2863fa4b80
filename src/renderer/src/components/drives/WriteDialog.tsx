import { Button, Checkbox, Group, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core'
import { IconArrowLeft } from '@tabler/icons-react'
import { useState } from 'react'
import type { Drive, LayoutKindName, RestoreFileSystem, WriteOperation, WritePreparation } from '../../../../shared/drives'
import { startConfirmedWrite } from '../../../../shared/drive-writes'
import type { JobSnapshot } from '../../../../shared/jobs'
import { useClient } from '../../client-context'
import { useJobs } from '../../hooks/use-jobs'
import { JobCard } from '../JobCard'
import { confirmationOf, EraseReview, typedConfirmationOk } from './EraseReview'
import { StartWriteButton } from './StartWriteButton'

/** The operations of the Drives page; media has its own page. */
export type WriteKind = Exclude<WriteOperation['kind'], 'media'>

const TITLES: Record<WriteKind, string> = { partition: 'Partition', restore: 'Restore drive', writeImage: 'Write image file' }
const LAYOUTS: Array<{ value: LayoutKindName; label: string }> = [
  { value: 'usb-uefi', label: 'USB, UEFI (GPT)' },
  { value: 'usb-bios-uefi', label: 'USB, BIOS + UEFI (MBR)' },
  { value: 'uefi', label: 'Windows, UEFI' },
  { value: 'bios', label: 'Windows, BIOS' },
]
const GiB = 1024 ** 3

/**
 * Choose what to write, then review in words what will be erased (the drive, its table,
 * partitions and mounted volumes) and confirm — by typing the device name for a fixed
 * disk — then follow the job right here.
 */
export function WriteDialog({ drive, kind, onClose }: { drive: Drive; kind: WriteKind; onClose: () => void }) {
  const client = useClient()
  const { jobs } = useJobs()
  const [layout, setLayout] = useState<LayoutKindName>('usb-uefi')
  const [fileSystem, setFileSystem] = useState<RestoreFileSystem>('fat32')
  const [label, setLabel] = useState('')
  const [image, setImage] = useState('')
  const [verify, setVerify] = useState(drive.kind === 'disk')
  const [sizeGiB, setSizeGiB] = useState<number | string>(8)
  const [prep, setPrep] = useState<WritePreparation | null>(null)
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [jobId, setJobId] = useState<string | null>(null)
  const job: JobSnapshot | undefined = jobs.find((j) => j.id === jobId)

  const operation = (): WriteOperation => {
    const named = label.trim() ? { label: label.trim() } : {}
    if (kind === 'partition') return { kind, layout, ...(layout.startsWith('usb') ? named : {}) }
    if (kind === 'restore') return { kind, fileSystem, ...named }
    return { kind, image: image.trim() }
  }
  const request = () => ({
    target: drive.id,
    verify,
    ...(drive.kind === 'image-file' && !drive.exists && !(kind === 'writeImage' && sizeGiB === '') ? { createSizeBytes: Math.round(Number(sizeGiB) * GiB) } : {}),
  })
  const run = (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    work()
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false))
  }
  const review = () =>
    run(async () => {
      setPrep(await client.api.drives.prepareWrite({ ...request(), operation: operation() }))
      setTyped('')
    })
  const start = () =>
    run(async () => {
      if (!prep) return
      const common = { ...request(), confirmation: confirmationOf(prep, typed) }
      setJobId((await startConfirmedWrite(client.api, common, prep.operation)).id)
    })
  const typedOk = !prep || typedConfirmationOk(prep, typed)

  return (
    <Modal opened onClose={onClose} title={`${TITLES[kind]} · ${drive.device}`} size="xl" closeOnClickOutside={!jobId} data-testid="write-dialog">
      {job ? (
        <Stack>
          <JobCard job={job} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={job.state === 'running'} data-testid="write-close">
              Close
            </Button>
          </Group>
        </Stack>
      ) : prep ? (
        <Stack gap="sm" data-testid="write-review">
          <EraseReview prep={prep} typed={typed} onTypedChange={setTyped} />
          {error && <Text c="red" size="sm" data-testid="write-error">{error}</Text>}
          <Group justify="space-between">
            <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={() => setPrep(null)}>
              Back
            </Button>
            <StartWriteButton prep={prep} onClick={start} loading={busy} disabled={!typedOk} testId="write-start" />
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm" data-testid="write-form">
          {kind === 'partition' && (
            <SegmentedControl fullWidth value={layout} onChange={(v) => setLayout(v as LayoutKindName)} data={LAYOUTS} data-testid="layout-choice" />
          )}
          {kind === 'restore' && (
            <SegmentedControl
              value={fileSystem}
              onChange={(v) => setFileSystem(v as RestoreFileSystem)}
              data={[
                { value: 'fat32', label: 'FAT32 (every PC and firmware)' },
                { value: 'exfat', label: 'exFAT (files over 4 GiB)' },
              ]}
            />
          )}
          {kind === 'writeImage' && (
            <TextInput label="Image file" description="A raw disk image (.img) or a hybrid ISO" placeholder="/path/to/image.img" value={image} onChange={(e) => setImage(e.currentTarget.value)} data-testid="image-path" />
          )}
          {(kind === 'restore' || (kind === 'partition' && layout.startsWith('usb'))) && (
            <TextInput label="Volume label" placeholder={kind === 'restore' ? 'USB DRIVE' : 'IMAGING'} value={label} onChange={(e) => setLabel(e.currentTarget.value)} maw={260} />
          )}
          {drive.kind === 'image-file' && !drive.exists && (
            <NumberInput label="Size of the new image file" suffix=" GiB" min={0.25} step={1} decimalScale={2} value={sizeGiB} onChange={setSizeGiB} maw={260} description={kind === 'writeImage' ? 'Empty: the size of the image' : undefined} />
          )}
          <Checkbox label="Verify: read everything back and compare" checked={verify} onChange={(e) => setVerify(e.currentTarget.checked)} />
          {error && (
            <Text c="red" size="sm" data-testid="write-error">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={review} loading={busy} disabled={kind === 'writeImage' && !image.trim()} data-testid="write-review-button">
              Review what will be erased
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  )
}
