import { createClient, type Client } from '../../../shared/client'
import { electronTransport } from './electron'
import { httpTransport } from './http'

const TOKEN_KEY = 'imaging.token'

/**
 * The one place the UI gets its client. In the Electron window the preload bridge is there;
 * in a browser the server's token arrives in the URL fragment (never sent to any server),
 * is kept for this tab only, and is removed from the address bar.
 */
export function connect(): Client | null {
  if (window.imaging) return createClient(electronTransport(window.imaging))
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    history.replaceState(null, '', `${window.location.pathname}#/drives`)
  }
  const token = sessionStorage.getItem(TOKEN_KEY)
  return token ? createClient(httpTransport(token)) : null
}
