import type { Envelope, Transport } from '../../../shared/client'
import type { AppEvent } from '../../../shared/contract'
import { HTTP_EVENTS_PATH, HTTP_INVOKE_PATH, HTTP_TOKEN_HEADER } from '../../../shared/http'

/**
 * The browser side of the headless server: calls over fetch, events over one WebSocket that
 * reconnects on its own (the server may restart while a page stays open).
 */
export function httpTransport(token: string, origin = window.location.origin): Transport {
  const listeners = new Set<(event: AppEvent) => void>()
  let socket: WebSocket | null = null
  let retryMs = 500

  const connect = (): void => {
    const url = `${origin.replace(/^http/, 'ws')}${HTTP_EVENTS_PATH}?token=${encodeURIComponent(token)}`
    socket = new WebSocket(url)
    socket.onopen = () => (retryMs = 500)
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as AppEvent
      for (const listener of listeners) listener(event)
    }
    socket.onclose = () => {
      socket = null
      if (listeners.size === 0) return
      setTimeout(() => listeners.size > 0 && !socket && connect(), retryMs)
      retryMs = Math.min(retryMs * 2, 10_000)
    }
  }

  return {
    name: 'http',
    invoke: async (method, args) => {
      const response = await fetch(`${origin}${HTTP_INVOKE_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [HTTP_TOKEN_HEADER]: token },
        body: JSON.stringify({ method, args }),
      })
      return (await response.json()) as Envelope
    },
    subscribe: (listener) => {
      listeners.add(listener)
      if (!socket) connect()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) socket?.close()
      }
    },
  }
}
