import { useCallback, useEffect, useState } from 'react'
import type { DriveListing } from '../../../shared/drives'
import { useAppEvents, useClient } from '../client-context'

export function useDrives(): { listing: DriveListing | null; error: string | null; refresh: () => void } {
  const client = useClient()
  const [listing, setListing] = useState<DriveListing | null>(null)
  const [error, setError] = useState<string | null>(null)
  const refresh = useCallback(() => {
    client.api.drives.list({ refresh: true }).then(setListing, (e: Error) => setError(e.message))
  }, [client])
  useEffect(() => {
    client.api.drives.list({}).then(setListing, (e: Error) => setError(e.message))
  }, [client])
  useAppEvents((event) => {
    if (event.type === 'drives') setListing(event.listing)
  })
  return { listing, error, refresh }
}
