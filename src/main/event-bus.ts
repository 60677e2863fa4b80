import type { AppEvent } from '../shared/contract'

export type EventListener = (event: AppEvent) => void

/** Fan-out of engine events to every front end (IPC windows, WebSocket clients, CLI). */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: AppEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A front end that fails to take an event (a closed socket, a destroyed window)
        // must not stop the others from getting it.
      }
    }
  }
}
