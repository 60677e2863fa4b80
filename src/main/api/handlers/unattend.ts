import { buildAutounattend, hostRegion, regionalDefaults, WINDOWS_TIME_ZONE_IDS } from '../../windows/unattend'
import type { DomainHandlers } from './types'

export function unattendHandlers(): DomainHandlers<'unattend'> {
  return {
    'unattend.preview': ({ options }) => buildAutounattend(options),
    'unattend.defaults': ({ imageLanguages }) => regionalDefaults(hostRegion(), imageLanguages),
    'unattend.timeZones': () => [...WINDOWS_TIME_ZONE_IDS],
  }
}
