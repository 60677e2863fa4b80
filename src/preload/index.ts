/**
 * The renderer's only door to the app: two functions on `window.imaging`. The renderer is
 * sandboxed and isolated; it never sees ipcRenderer or any Node API.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT, IPC_INVOKE, type ImagingBridge } from '../shared/ipc'

const bridge: ImagingBridge = {
  invoke: (method, args) => ipcRenderer.invoke(IPC_INVOKE, method, args),
  onEvent: (listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(IPC_EVENT, wrapped)
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped)
  },
}

contextBridge.exposeInMainWorld('imaging', bridge)
