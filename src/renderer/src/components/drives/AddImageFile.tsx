import { IconFile, IconPlus } from '@tabler/icons-react'
import { useState } from 'react'
import type { Drive } from '../../../../shared/drives'
import { useClient } from '../../client-context'
import { PathField } from '../PathField'

interface AddImageFileProps {
  onAdded?: (drive: Drive) => void
  label?: string
  description?: string
  action: string
  testId: string
  actionTestId: string
}

/** Registers a path as an image-file target (it may not exist yet); the engine's refusal shows under the field. */
export function AddImageFile({ onAdded, label, description, action, testId, actionTestId }: AddImageFileProps) {
  const client = useClient()
  const [path, setPath] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const add = (value: string): void => {
    setBusy(true)
    setError(null)
    client.api.drives
      .addImageFile({ path: value })
      .then(
        (drive) => {
          setPath('')
          onAdded?.(drive)
        },
        (e: Error) => setError(e.message),
      )
      .finally(() => setBusy(false))
  }
  return (
    <PathField
      value={path}
      onChange={setPath}
      onSubmit={add}
      label={label}
      ariaLabel={label ? undefined : 'Image file path'}
      description={description}
      placeholder="/images/win11-usb.img"
      icon={<IconFile size={16} />}
      error={error}
      action={action}
      actionIcon={<IconPlus size={16} />}
      busy={busy}
      testId={testId}
      actionTestId={actionTestId}
      maxWidth={760}
    />
  )
}
