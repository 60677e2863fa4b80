import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc'
import type { Service } from '../api/service'

/** The part of Electron's ipcMain this transport needs, so the engine never imports electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface EventTarget {
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

/**
 * Serves the contract over IPC. Only frames showing our own UI may call; everything else
 * (a navigated or injected frame) gets UNAUTHORIZED. Arguments are validated by the service.
 */
export function serveIpc(
  ipcMain: IpcMainLike,
  service: Service,
  isTrustedUrl: (url: string) => boolean,
  targets: () => EventTarget[],
): () => void {
  ipcMain.handle(IPC_INVOKE, (event, method, args) => {
    const url = event.senderFrame?.url ?? ''
    if (!isTrustedUrl(url)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Calls are accepted only from the app window' } }
    }
    return service.invoke(method as string, args)
  })
  const unsubscribe = service.subscribe((appEvent) => {
    for (const target of targets()) if (!target.isDestroyed()) target.send(IPC_EVENT, appEvent)
  })
  return () => {
    unsubscribe()
    ipcMain.removeHandler(IPC_INVOKE)
  }
}
