/**
 * Passwords in an answer file with PlainText false: Windows Setup expects the base64 of the
 * UTF-16LE text of the password followed by the name of the setting that holds it ("Password"
 * for LocalAccount and AutoLogon, "AdministratorPassword" for the built-in Administrator).
 * This is what Windows SIM writes when it "hides" a password. It is an encoding, not
 * encryption: anyone holding the file can reverse it.
 */
export type PasswordSetting = 'Password' | 'AdministratorPassword'

export function encodeSetupPassword(password: string, setting: PasswordSetting): string {
  return Buffer.from(password + setting, 'utf16le').toString('base64')
}
