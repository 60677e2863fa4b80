/** Electron IPC channels between the preload bridge and the main process. */
export const IPC_INVOKE = 'imaging:invoke'
export const IPC_EVENT = 'imaging:event'

/** What the preload exposes on `window.imaging`: two functions, nothing of Electron itself. */
export interface ImagingBridge {
  invoke(method: string, args: unknown): Promise<unknown>
  onEvent(listener: (event: unknown) => void): () => void
}
