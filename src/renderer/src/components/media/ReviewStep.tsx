import { Alert, Button, Collapse, Group, Loader, Stack, Text } from '@mantine/core'
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react'
import { useEffect, useState, type ReactNode } from 'react'
import { startConfirmedWrite } from '../../../../shared/drive-writes'
import type { WritePreparation } from '../../../../shared/drives'
import type { JobSnapshot } from '../../../../shared/jobs'
import { useClient } from '../../client-context'
import { DisclosureButton } from '../DisclosureButton'
import { confirmationOf, EraseReview, typedConfirmationOk } from '../drives/EraseReview'
import { StartWriteButton } from '../drives/StartWriteButton'
import type { MediaRequest } from './media-request'
import { WizardNav } from './WizardNav'

interface Prepared {
  key: string
  prep: WritePreparation | null
  error: string | null
}

/** drives.prepareWrite for this request, asked again when the request changes or a token was used up. */
function usePreparation(request: MediaRequest, attempt: number): { prep: WritePreparation | null; error: string | null; loading: boolean } {
  const client = useClient()
  // By value, not identity: the wizard builds a new request object on every render.
  const body = JSON.stringify(request)
  const key = `${body}#${attempt}`
  const [state, setState] = useState<Prepared>({ key: '', prep: null, error: null })
  useEffect(() => {
    let live = true
    const key = `${body}#${attempt}`
    client.api.drives.prepareWrite(JSON.parse(body) as MediaRequest).then(
      (prep) => live && setState({ key, prep, error: null }),
      (e: Error) => live && setState({ key, prep: null, error: e.message }),
    )
    return () => {
      live = false
    }
  }, [client, body, attempt])
  return state.key === key ? { ...state, loading: false } : { prep: null, error: null, loading: true }
}

interface ReviewStepProps {
  request: MediaRequest
  onBack: () => void
  onStarted: (job: JobSnapshot) => void
  /** The answer file that goes onto the medium, to check once more. */
  answerFile: ReactNode | null
}

/** Step 5: what the engine says will be erased and made, and the one confirmation that starts the write. */
export function ReviewStep({ request, onBack, onStarted, answerFile }: ReviewStepProps) {
  const client = useClient()
  const [attempt, setAttempt] = useState(0)
  const { prep, error, loading } = usePreparation(request, attempt)
  const [typed, setTyped] = useState('')
  const [startError, setStartError] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const [showXml, setShowXml] = useState(false)

  const start = (): void => {
    if (!prep) return
    setStarting(true)
    setStartError(null)
    const { operation: _asked, ...common } = request
    startConfirmedWrite(client.api, { ...common, confirmation: confirmationOf(prep, typed) }, prep.operation)
      .then(onStarted, (e: Error) => setStartError(e.message))
      .finally(() => setStarting(false))
  }
  const again = (): void => {
    setStartError(null)
    setTyped('')
    setAttempt((n) => n + 1)
  }

  return (
    <Stack gap="md" data-testid="media-review">
      {loading && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Checking the source and the drive…
          </Text>
        </Group>
      )}
      {error && (
        <Alert color="red" icon={<IconAlertTriangle size={20} />} title="This cannot be written" data-testid="media-review-error">
          {error}
        </Alert>
      )}
      {prep && <EraseReview prep={prep} typed={typed} onTypedChange={setTyped} />}
      {prep && answerFile && (
        <div>
          <DisclosureButton open={showXml} onToggle={() => setShowXml((v) => !v)}>
            autounattend.xml that goes onto the medium
          </DisclosureButton>
          <Collapse expanded={showXml}>{answerFile}</Collapse>
        </div>
      )}
      {startError && (
        <Alert color="red" icon={<IconAlertTriangle size={20} />} title="Nothing was written" data-testid="media-start-error">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{startError}</Text>
            <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={again}>
              Review again
            </Button>
          </Stack>
        </Alert>
      )}
      <WizardNav
        onBack={onBack}
        primary={
          prep && <StartWriteButton prep={prep} onClick={start} loading={starting} disabled={!typedConfirmationOk(prep, typed) || startError !== null} testId="media-start" />
        }
      />
    </Stack>
  )
}
