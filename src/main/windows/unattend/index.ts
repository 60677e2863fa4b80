/** The answer-file builder: what the rest of the engine uses. */
export { unattendArchitecturesOf } from './architectures'
export { AUTOUNATTEND_FILE_NAME, buildAutounattend } from './build'
export { displayLanguageFor, FALLBACK_LOCALE, FALLBACK_TIME_ZONE, regionalDefaults, windowsLocaleName, type HostRegion, type RegionalDefaults } from './host-defaults'
export { hostRegion } from './host-region'
export { defaultInputProfile, WINDOWS_DISPLAY_LANGUAGES } from './languages'
export { encodeSetupPassword } from './password'
export { isWindowsTimeZone, WINDOWS_TIME_ZONE_IDS, windowsTimeZoneFor } from './time-zones'
export { parseUnattendOptions } from './validate'
