/**
 * A local account made by Setup (Shell-Setup | UserAccounts | LocalAccounts | LocalAccount,
 * oobeSystem): OOBE then asks for no account, which is the documented way to set Windows up
 * without a Microsoft account, online or not. Group is "Administrators" or "Users", the English
 * names the reference uses; generators in wide use write them for images of every display
 * language. AutoLogon (Shell-Setup, oobeSystem) signs the
 * account in LogonCount times, for first-logon work, then stops.
 *
 * Passwords are written with PlainText false (see password.ts). That hides them from a glance,
 * not from anyone who copies the file: Setup blanks them in the copy it keeps in
 * %WINDIR%\Panther, but the media keeps the original, so the preview says so.
 */
import type { OptionWriter } from '../answer-file'
import { encodeSetupPassword } from '../password'

export const writeLocalAccount: OptionWriter = (options, file) => {
  const account = options.localAccount
  if (!account) return
  const password = { PlainText: 'false', Value: encodeSetupPassword(account.password ?? '', 'Password') }
  file.addListItem('oobeSystem', 'Microsoft-Windows-Shell-Setup', ['UserAccounts', 'LocalAccounts'], 'LocalAccount', {
    ...(account.displayName === undefined ? {} : { DisplayName: account.displayName }),
    Group: account.administrator ? 'Administrators' : 'Users',
    Name: account.name,
    Password: password,
  })
  if (account.autoLogonCount !== undefined) {
    file.set('oobeSystem', 'Microsoft-Windows-Shell-Setup', {
      AutoLogon: { Enabled: 'true', LogonCount: String(account.autoLogonCount), Password: password, Username: account.name },
    })
  }

  const who = `"${account.name}"`
  file.warn(
    account.password === undefined
      ? `${who} has no password: anyone at the machine can sign in as it.`
      : `The password of ${who} is only base64-encoded in the answer file: anyone who can read the media can recover it.`,
  )
  if (!account.administrator) {
    file.warn(`${who} is not an administrator and the answer file makes no other account: the installed Windows will have no administrator to sign in as.`)
  }
  if (account.autoLogonCount !== undefined) {
    file.warn(`Windows will sign ${who} in automatically ${account.autoLogonCount} time(s), keeping the password on the installed system until then.`)
  }
}
