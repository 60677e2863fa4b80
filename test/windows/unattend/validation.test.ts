import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { unattendOptionsSchema } from '../../../src/shared/unattend'
import { buildAutounattend } from '../../../src/main/windows/unattend'

const REGIONAL = { uiLanguage: 'en-US', systemLocale: 'en-US', userLocale: 'en-US', inputLocale: '0409:00000409', timeZone: 'UTC' }

/** The VALIDATION error building these options throws (any other outcome fails the test). */
function rejection(options: unknown): AppError {
  try {
    buildAutounattend(options as Parameters<typeof buildAutounattend>[0])
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('VALIDATION')
    return error as AppError
  }
  throw new Error('the options were accepted')
}

describe('bad option values are VALIDATION errors naming the field', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a computer name longer than 15 characters', { computerName: 'WORKSTATION-0001' }, 'computerName', /at most 15/],
    ['a computer name with an underscore', { computerName: 'LAB_01' }, 'computerName', /letters A-Z, digits and hyphens/],
    ['a computer name with a space', { computerName: 'LAB 01' }, 'computerName', /letters A-Z/],
    ['a computer name of digits only', { computerName: '123456' }, 'computerName', /digits only/],
    ['a computer name ending in a hyphen', { computerName: 'LAB-' }, 'computerName', /hyphen/],
    ['an empty user name', { localAccount: { name: '' } }, 'localAccount.name', /empty/],
    ['a user name longer than 20 characters', { localAccount: { name: 'a'.repeat(21) } }, 'localAccount.name', /at most 20/],
    ['a user name with < >', { localAccount: { name: "O'Brien & <Co>" } }, 'localAccount.name', /must not contain/],
    ['a user name with @', { localAccount: { name: 'tech@lab' } }, 'localAccount.name', /must not contain/],
    ['a user name with a tab', { localAccount: { name: 'a\tb' } }, 'localAccount.name', /control/],
    ['a user name ending in a dot', { localAccount: { name: 'tech.' } }, 'localAccount.name', /dot/],
    ['a user name with a leading space', { localAccount: { name: ' tech' } }, 'localAccount.name', /space/],
    ['a built-in account name', { localAccount: { name: 'Administrator' } }, 'localAccount.name', /built-in/],
    ['a user name equal to the computer name', { computerName: 'lab-01', localAccount: { name: 'LAB-01' } }, 'localAccount.name', /computer name/],
    ['a password longer than Windows allows', { localAccount: { name: 'tech', password: 'x'.repeat(128) } }, 'localAccount.password', /127/],
    ['a display name with a control character', { localAccount: { name: 'tech', displayName: 'a\u0007b' } }, 'localAccount.displayName', /control/],
    ['an auto-logon count of zero', { localAccount: { name: 'tech', autoLogonCount: 0 } }, 'localAccount.autoLogonCount', /./],
    ['a product key of the wrong shape', { productKey: 'ABCDE-12345' }, 'productKey', /five groups/],
    ['a locale name that is not one', { regional: { ...REGIONAL, userLocale: 'english' } }, 'regional.userLocale', /locale name/],
    ['an input locale that is not one', { regional: { ...REGIONAL, inputLocale: '409:409' } }, 'regional.inputLocale', /input profiles/],
    ['an IANA zone instead of a Windows time zone', { regional: { ...REGIONAL, timeZone: 'Europe/Berlin' } }, 'regional.timeZone', /Windows time zone/],
    ['a Windows-looking time zone Windows does not have', { regional: { ...REGIONAL, timeZone: 'Mars Standard Time' } }, 'regional.timeZone', /not a Windows time zone ID/],
    ['no architecture', { architectures: [] }, 'architectures', /at least one/],
    ['an architecture twice', { architectures: ['amd64', 'amd64'] }, 'architectures', /twice/],
    ['an architecture Setup does not know', { architectures: ['ia64'] }, 'architectures.0', /./],
    ['an option nobody defined', { wipeDisk: true }, '(options)', /wipeDisk/],
  ]

  it.each(cases)('%s', (_, option, field, message) => {
    const error = rejection({ architectures: ['amd64'], ...option })
    expect(error.details?.field).toBe(field)
    expect(error.message).toContain(field)
    expect(error.message).toMatch(message)
  })

  it('names every bad field at once, each once', () => {
    const error = rejection({ architectures: ['amd64'], computerName: 'x_'.repeat(8), localAccount: { name: '' } })
    expect(error.details?.fields).toEqual(['localAccount.name', 'computerName'])
    expect(error.message).toMatch(/localAccount\.name must not be empty; computerName must be at most 15 .*; computerName may contain only/)
  })
})

describe('good values pass', () => {
  it('accepts the limits themselves and the input profile forms Setup documents', () => {
    const options = {
      architectures: ['x86', 'amd64', 'arm64'],
      computerName: 'A23456789012345',
      localAccount: { name: "O'Brien&Co-1234567.x", password: 'p'.repeat(127), displayName: "O'Brien & <Co>" },
      regional: { ...REGIONAL, uiLanguage: 'sr-Latn-RS', userLocale: 'es-419', inputLocale: 'ja-JP; 0409:00000409;0411:{03B5835F-F03C-411B-9CE2-AA23E1171E36}{A76C93D9-5523-4E90-AAFA-4DB112F9AC76}' },
    }
    expect(() => buildAutounattend(options as Parameters<typeof buildAutounattend>[0])).not.toThrow()
  })

  it('fills in the defaults the front ends may leave out', () => {
    const parsed = unattendOptionsSchema.parse({ architectures: ['amd64'], localAccount: { name: 'tech' } })
    expect(parsed).toEqual({
      architectures: ['amd64'],
      bypassHardwareChecks: false,
      skipOnlineAccount: false,
      localAccount: { name: 'tech', administrator: true },
      skipPrivacyQuestions: false,
      hideWirelessSetup: false,
      preventDeviceEncryption: false,
      acceptEula: false,
    })
  })
})
