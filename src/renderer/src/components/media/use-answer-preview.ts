import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import type { UnattendOptionsInput, UnattendPreview } from '../../../../shared/unattend'
import { useClient } from '../../client-context'

interface PreviewState {
  key: string
  preview: UnattendPreview | null
  error: string | null
}

/**
 * The engine's autounattend.xml for these options, kept current as they are edited (after a
 * short pause, so typing a name does not send a request per key). Null options: no file.
 */
export function useAnswerPreview(options: UnattendOptionsInput | undefined, valid: boolean): { preview: UnattendPreview | null; error: string | null; loading: boolean } {
  const client = useClient()
  const key = options && valid ? JSON.stringify(options) : ''
  const [debounced] = useDebouncedValue(key, 250)
  const [state, setState] = useState<PreviewState>({ key: '', preview: null, error: null })
  useEffect(() => {
    if (!debounced) return
    let live = true
    client.api.unattend.preview({ options: JSON.parse(debounced) as UnattendOptionsInput }).then(
      (preview) => live && setState({ key: debounced, preview, error: null }),
      (e: Error) => live && setState({ key: debounced, preview: null, error: e.message }),
    )
    return () => {
      live = false
    }
  }, [client, debounced])
  if (!key) return { preview: null, error: null, loading: false }
  // An older preview stays on screen while the new one is made: the XML does not flicker away.
  return { preview: state.preview, error: state.key === key ? state.error : null, loading: state.key !== key }
}
