import { useRef, useState } from 'react'
import type { MediaInspection } from '../../../../shared/media'
import { useClient } from '../../client-context'

export interface InspectionState {
  inspection: MediaInspection | null
  error: string | null
  loading: boolean
  inspect: (source: string) => Promise<MediaInspection | null>
}

/** media.inspect of one source at a time: a slower answer for a path typed before is dropped. */
export function useMediaInspection(): InspectionState {
  const client = useClient()
  const [inspection, setInspection] = useState<MediaInspection | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const latest = useRef(0)
  const inspect = async (source: string): Promise<MediaInspection | null> => {
    const ticket = ++latest.current
    setLoading(true)
    setError(null)
    setInspection(null)
    try {
      const result = await client.api.media.inspect({ source })
      if (ticket === latest.current) setInspection(result)
      return ticket === latest.current ? result : null
    } catch (e) {
      if (ticket === latest.current) setError((e as Error).message)
      return null
    } finally {
      if (ticket === latest.current) setLoading(false)
    }
  }
  return { inspection, error, loading, inspect }
}
