import { existsSync } from 'node:fs'
import type { Drive, DriveListing, HotplugMode } from '../../shared/drives'
import type { EventBus } from '../event-bus'
import type { ImageFileRegistry } from './image-files'
import { listDisks } from './list-disks'

export interface DriveMonitorOptions {
  enumerate?: () => Promise<Drive[]>
  pollMs?: number
  /** Try USB attach/detach events before falling back to polling. */
  useUsbEvents?: boolean
}

/** Delays after a USB event: the OS needs a moment to create (or drop) the block device. */
const SETTLE_DELAYS_MS = [800, 2500, 6000]

/**
 * Keeps the drive listing current: USB attach/detach events trigger a re-enumeration; where
 * they are not available (no libusb, no USB bus, sandbox) it polls. Front ends get a
 * `drives` event only when something actually changed.
 */
export class DriveMonitor {
  private current: DriveListing | null = null
  private timer: NodeJS.Timeout | null = null
  private hotplug: HotplugMode = 'polling'
  private stopUsb: (() => void) | null = null
  private refreshing: Promise<DriveListing> | null = null
  private readonly enumerate: () => Promise<Drive[]>
  private readonly pollMs: number

  constructor(
    private readonly bus: EventBus,
    private readonly imageFiles: ImageFileRegistry,
    private readonly options: DriveMonitorOptions = {},
  ) {
    this.enumerate = options.enumerate ?? (() => listDisks())
    this.pollMs = options.pollMs ?? 3000
  }

  async start(): Promise<void> {
    if (this.options.useUsbEvents !== false) this.stopUsb = await this.listenUsb()
    this.hotplug = this.stopUsb ? 'usb-events' : 'polling'
    // With events, polling stays on slowly as a safety net for non-USB hot-plug (SD readers).
    const interval = this.hotplug === 'usb-events' ? this.pollMs * 10 : this.pollMs
    this.timer = setInterval(() => void this.refresh(), interval)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.stopUsb?.()
    this.stopUsb = null
  }

  async listing(refresh = false): Promise<DriveListing> {
    if (!this.current || refresh) return this.refresh()
    return { ...this.current, imageFiles: this.imageFiles.list() }
  }

  /** Re-enumerate now; concurrent callers share one enumeration. */
  refresh(): Promise<DriveListing> {
    this.refreshing ??= this.enumerateOnce().finally(() => (this.refreshing = null))
    return this.refreshing
  }

  /** Tell front ends the image-file list changed. */
  async imageFilesChanged(): Promise<DriveListing> {
    const listing = await this.listing()
    this.bus.emit({ type: 'drives', listing })
    return listing
  }

  private async enumerateOnce(): Promise<DriveListing> {
    let disks: Drive[] = []
    let error: string | null = null
    try {
      disks = await this.enumerate()
    } catch (e) {
      error = `Could not list disks: ${(e as Error).message}`
    }
    const listing: DriveListing = { disks, imageFiles: this.imageFiles.list(), hotplug: this.hotplug, updatedAt: Date.now(), error }
    const changed = !this.current || JSON.stringify(this.current.disks) !== JSON.stringify(disks) || this.current.error !== error
    this.current = listing
    if (changed) this.bus.emit({ type: 'drives', listing })
    return listing
  }

  private async listenUsb(): Promise<(() => void) | null> {
    if (process.platform === 'linux' && !existsSync('/sys/bus/usb')) return null
    try {
      const { usb } = await import('usb')
      const onChange = (): void => {
        for (const delay of SETTLE_DELAYS_MS) setTimeout(() => void this.refresh(), delay).unref()
      }
      usb.on('attach', onChange)
      usb.on('detach', onChange)
      usb.unrefHotplugEvents()
      return () => {
        usb.off('attach', onChange)
        usb.off('detach', onChange)
      }
    } catch {
      return null
    }
  }
}
