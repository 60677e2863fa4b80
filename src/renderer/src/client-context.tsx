import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react'
import type { Client } from '../../shared/client'
import type { AppEvent } from '../../shared/contract'

const ClientContext = createContext<Client | null>(null)

export function ClientProvider({ client, children }: { client: Client; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>
}

export function useClient(): Client {
  const client = useContext(ClientContext)
  if (!client) throw new Error('useClient outside ClientProvider')
  return client
}

/** Calls `handler` for every engine event while the component is mounted. */
export function useAppEvents(handler: (event: AppEvent) => void): void {
  const client = useClient()
  const latest = useRef(handler)
  useEffect(() => {
    latest.current = handler
  })
  useEffect(() => client.subscribe((event) => latest.current(event)), [client])
}
