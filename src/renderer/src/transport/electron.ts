import type { Envelope, Transport } from '../../../shared/client'
import type { AppEvent } from '../../../shared/contract'
import type { ImagingBridge } from '../../../shared/ipc'

export function electronTransport(bridge: ImagingBridge): Transport {
  return {
    name: 'electron',
    invoke: async (method, args) => (await bridge.invoke(method, args)) as Envelope,
    subscribe: (listener) => bridge.onEvent((event) => listener(event as AppEvent)),
  }
}
