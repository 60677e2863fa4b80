/// <reference types="vite/client" />
import type { ImagingBridge } from '../../shared/ipc'

declare global {
  interface Window {
    /** Present only inside the Electron window (set by the preload bridge). */
    imaging?: ImagingBridge
  }
}
