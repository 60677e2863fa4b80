/**
 * License terms and product key.
 * - AcceptEula (Setup | UserData, windowsPE) accepts the terms Setup shows; HideEULAPage
 *   (Shell-Setup | OOBE, oobeSystem) is the same acceptance for OOBE's copy of them.
 * - The key goes to Setup | UserData | ProductKey | Key (windowsPE), which selects the edition
 *   to install; a generic key selects an edition without activating it. With no key the
 *   element is written empty: Setup is known to stop ("cannot read the <ProductKey> setting
 *   from the unattend answer file") when Microsoft-Windows-Setup has settings but no
 *   ProductKey, and an empty one lets it ask for a key or an edition as it would without an
 *   answer file (what Rufus writes too).
 * This writer must run after every other writer of Microsoft-Windows-Setup in windowsPE.
 */
import type { OptionWriter } from '../answer-file'

export const writeLicense: OptionWriter = (options, file) => {
  if (options.acceptEula) {
    file.set('windowsPE', 'Microsoft-Windows-Setup', { UserData: { AcceptEula: 'true' } })
    file.set('oobeSystem', 'Microsoft-Windows-Shell-Setup', { OOBE: { HideEULAPage: 'true' } })
  }
  if (file.has('windowsPE', 'Microsoft-Windows-Setup') || options.productKey !== undefined) {
    file.set('windowsPE', 'Microsoft-Windows-Setup', { UserData: { ProductKey: { Key: options.productKey ?? '' } } })
  }
}
