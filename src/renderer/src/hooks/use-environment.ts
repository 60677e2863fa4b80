import { useCallback, useEffect, useState } from 'react'
import type { EnvironmentReport } from '../../../shared/environment'
import { useClient } from '../client-context'

export function useEnvironment(): { report: EnvironmentReport | null; error: string | null; loading: boolean; refresh: () => void } {
  const client = useClient()
  const [report, setReport] = useState<EnvironmentReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const fetchReport = useCallback(
    (refresh: boolean) =>
      client.api.env
        .report({ refresh })
        .then(setReport, (e: Error) => setError(e.message))
        .finally(() => setLoading(false)),
    [client],
  )
  useEffect(() => void fetchReport(false), [fetchReport])
  const refresh = (): void => {
    setLoading(true)
    void fetchReport(true)
  }
  return { report, error, loading, refresh }
}
