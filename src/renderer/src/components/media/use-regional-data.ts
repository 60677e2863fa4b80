import { useEffect, useState } from 'react'
import type { RegionalSettings } from '../../../../shared/unattend'
import { useClient } from '../../client-context'

export interface RegionalData {
  /** This computer's regional settings, limited to the image's languages. */
  defaults: RegionalSettings | null
  /** Settings the host had no Windows equivalent for (en-US or UTC chosen instead). */
  fallbacks: string[]
  timeZones: string[]
  error: string | null
}

/** What the regional fields start from and choose among: the host's settings and every Windows time zone. */
export function useRegionalData(imageLanguages: string[]): RegionalData {
  const client = useClient()
  const languagesKey = imageLanguages.join(',')
  const [data, setData] = useState<RegionalData & { key: string | null }>({ defaults: null, fallbacks: [], timeZones: [], error: null, key: null })
  useEffect(() => {
    let live = true
    const languages = languagesKey ? languagesKey.split(',') : []
    Promise.all([client.api.unattend.defaults({ imageLanguages: languages }), client.api.unattend.timeZones({})]).then(
      ([defaults, timeZones]) => live && setData({ defaults: defaults.settings, fallbacks: defaults.fallbacks, timeZones, error: null, key: languagesKey }),
      (e: Error) => live && setData({ defaults: null, fallbacks: [], timeZones: [], error: e.message, key: languagesKey }),
    )
    return () => {
      live = false
    }
  }, [client, languagesKey])
  return data
}
