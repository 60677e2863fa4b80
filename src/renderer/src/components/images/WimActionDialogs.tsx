import { Button, Checkbox, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import type { WimCompression, WimImageSummary, WimSummary } from '../../../../shared/wim'
import { useClient } from '../../client-context'
import { COMPRESSION_CHOICES } from './compression'

interface DialogProps {
  summary: WimSummary
  onClose: () => void
  onStarted: (jobId: string) => void
}

/** Runs a call, keeping its error under the form; closes the dialog when it succeeds. */
function useSubmit(onDone: () => void): { busy: boolean; error: string | null; submit: (call: () => Promise<unknown>) => void } {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = (call: () => Promise<unknown>): void => {
    setBusy(true)
    setError(null)
    call()
      .then(onDone, (e: Error) => setError(e.message))
      .finally(() => setBusy(false))
  }
  return { busy, error, submit }
}

/** The form's error, then Cancel and the action, the same in every dialog here. */
function DialogActions(props: { error: string | null; busy: boolean; disabled: boolean; testId: string; onCancel: () => void; onSubmit: () => void; children: ReactNode }) {
  return (
    <>
      {props.error && (
        <Text c="red" size="sm">
          {props.error}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button loading={props.busy} disabled={props.disabled} data-testid={props.testId} onClick={props.onSubmit}>
          {props.children}
        </Button>
      </Group>
    </>
  )
}

type Preset = 'keep' | 'wim' | 'custom'

/** Export chosen images to another WIM; the ESD preset is how install.esd becomes install.wim. */
export function ExportDialog({ summary, onClose, onStarted, initial }: DialogProps & { initial: number }) {
  const client = useClient()
  const [selected, setSelected] = useState<number[]>([initial])
  const [dest, setDest] = useState('')
  const [preset, setPreset] = useState<Preset>(summary.solid ? 'wim' : 'keep')
  const [compression, setCompression] = useState<WimCompression>('lzx')
  const [integrity, setIntegrity] = useState(false)
  const { busy, error, submit } = useSubmit(onClose)
  const effective: { compression?: WimCompression; solid: boolean } =
    preset === 'keep' ? { solid: summary.solid } : preset === 'wim' ? { compression: 'lzx', solid: false } : { compression, solid: false }
  const toggle = (index: number): void => setSelected((s) => (s.includes(index) ? s.filter((i) => i !== index) : [...s, index].sort((a, b) => a - b)))
  return (
    <Modal opened onClose={onClose} title="Export images" size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          Copies the chosen editions into another WIM (created, or added to when it exists). Files the target already holds are
          not stored twice.
        </Text>
        <Stack gap={4} data-testid="export-images">
          {summary.images.map((image) => (
            <Checkbox key={image.index} label={`${image.index}. ${image.name ?? '(unnamed)'}${image.editionId ? ` — ${image.editionId}` : ''}`} checked={selected.includes(image.index)} onChange={() => toggle(image.index)} />
          ))}
        </Stack>
        <TextInput label="Destination WIM" placeholder="/images/install.wim" value={dest} onChange={(e) => setDest(e.currentTarget.value)} data-testid="export-dest" />
        <SegmentedControl
          value={preset}
          onChange={(v) => setPreset(v as Preset)}
          data={[
            { value: 'keep', label: summary.solid ? 'Keep as ESD' : 'Keep compression' },
            { value: 'wim', label: 'ESD → WIM (LZX)' },
            { value: 'custom', label: 'Choose' },
          ]}
          data-testid="export-preset"
        />
        {preset === 'custom' && <Select label="Compression" data={COMPRESSION_CHOICES} value={compression} onChange={(v) => v && setCompression(v as WimCompression)} allowDeselect={false} />}
        <Checkbox label="Add an integrity table" checked={integrity} onChange={(e) => setIntegrity(e.currentTarget.checked)} />
        <DialogActions
          error={error}
          busy={busy}
          disabled={!dest.trim() || selected.length === 0}
          testId="export-start"
          onCancel={onClose}
          onSubmit={() =>
            submit(async () => {
              const job = await client.api.wim.export({ source: summary.path, images: selected, dest: dest.trim(), integrity, ...effective })
              onStarted(job.id)
            })
          }
        >
          Export {selected.length} image{selected.length === 1 ? '' : 's'}
        </DialogActions>
      </Stack>
    </Modal>
  )
}

/** Split into .swm parts; the FAT32 preset is what bootable USB sticks need. */
export function SplitDialog({ summary, onClose, onStarted }: DialogProps) {
  const client = useClient()
  const [firstPart, setFirstPart] = useState(summary.path.replace(/\.(wim|esd)$/i, '.swm'))
  const [mib, setMib] = useState<number>(3800)
  const { busy, error, submit } = useSubmit(onClose)
  return (
    <Modal opened onClose={onClose} title="Split into parts" size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          Writes install.swm, install2.swm, … no larger than the size below. Windows Setup reads a split set from a USB stick whose
          FAT32 file system cannot hold files over 4 GiB.
        </Text>
        <TextInput label="First part" value={firstPart} onChange={(e) => setFirstPart(e.currentTarget.value)} data-testid="split-first" />
        <NumberInput label="Largest part (MiB)" value={mib} onChange={(v) => setMib(Number(v) || 1)} min={1} max={1_000_000} description="3800 MiB leaves room under FAT32's 4 GiB limit" />
        <DialogActions
          error={error}
          busy={busy}
          disabled={!firstPart.trim()}
          testId="split-start"
          onCancel={onClose}
          onSubmit={() =>
            submit(async () => {
              const job = await client.api.wim.split({ path: summary.path, firstPart: firstPart.trim(), partMiB: mib })
              onStarted(job.id)
            })
          }
        >
          Split
        </DialogActions>
      </Stack>
    </Modal>
  )
}

/** Name, description and edition of one image. */
export function EditImageDialog({ summary, image, onClose, onSaved }: { summary: WimSummary; image: WimImageSummary; onClose: () => void; onSaved: (s: WimSummary) => void }) {
  const client = useClient()
  const [name, setName] = useState(image.name ?? '')
  const [description, setDescription] = useState(image.description ?? '')
  const [flags, setFlags] = useState(image.flags ?? '')
  const { busy, error, submit } = useSubmit(onClose)
  return (
    <Modal opened onClose={onClose} title={`Image ${image.index}`} size="lg">
      <Stack>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="edit-name" />
        <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        <TextInput label="Edition flags" value={flags} onChange={(e) => setFlags(e.currentTarget.value)} />
        <DialogActions
          error={error}
          busy={busy}
          disabled={!name.trim()}
          testId="edit-save"
          onCancel={onClose}
          onSubmit={() => submit(async () => onSaved(await client.api.wim.setProperties({ path: summary.path, image: image.index, name: name.trim(), description, flags })))}
        >
          Save
        </DialogActions>
      </Stack>
    </Modal>
  )
}
