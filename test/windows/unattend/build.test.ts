import { describe, expect, it } from 'vitest'
import type { UnattendOptionsInput } from '../../../src/shared/unattend'
import { buildAutounattend, encodeSetupPassword } from '../../../src/main/windows/unattend'
import { attribute, childElements, parseXml, textAt } from '../../../src/main/wim/xml/xml-dom'
import { component, components, settingLines } from './answer-file-reader'

const AMD64 = { architectures: ['amd64'] } satisfies UnattendOptionsInput

const REGIONAL = {
  uiLanguage: 'de-DE',
  systemLocale: 'de-DE',
  userLocale: 'de-CH',
  inputLocale: '0807:00000807',
  timeZone: 'W. Europe Standard Time',
}

const EVERYTHING: UnattendOptionsInput = {
  architectures: ['amd64'],
  bypassHardwareChecks: true,
  skipOnlineAccount: true,
  localAccount: { name: 'tech', displayName: 'Field technician', password: 'Secret1', autoLogonCount: 1 },
  regional: REGIONAL,
  skipPrivacyQuestions: true,
  hideWirelessSetup: true,
  preventDeviceEncryption: true,
  acceptEula: true,
  computerName: 'LAB-01',
  productKey: 'W269N-WFGWX-YVC9B-4J6C9-T83GX',
}

const EMPTY_KEY = 'windowsPE Microsoft-Windows-Setup UserData/ProductKey/Key = '
const SECRET1 = 'UwBlAGMAcgBlAHQAMQBQAGEAcwBzAHcAbwByAGQA' // base64 of UTF-16LE "Secret1Password"

describe('the answer file document', () => {
  it('is well-formed XML in the unattend namespace, declaring the wcm prefix it uses', () => {
    const { xml } = buildAutounattend(EVERYTHING)
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true)
    const root = parseXml(xml)
    expect(root.name).toBe('unattend')
    expect(attribute(root, 'xmlns')).toBe('urn:schemas-microsoft-com:unattend')
    expect(attribute(root, 'xmlns:wcm')).toBe('http://schemas.microsoft.com/WMIConfig/2002/State')
    expect(xml).toMatch(/wcm:action="add"/)
  })

  it("keeps the unattend schema's envelope: passes in Setup's order, each component fully identified", () => {
    const { xml } = buildAutounattend({ ...EVERYTHING, architectures: ['amd64', 'arm64', 'x86'] })
    const root = parseXml(xml)
    expect(root.children.every((c) => typeof c === 'string' ? c.trim() === '' : c.name === 'settings')).toBe(true)
    expect(childElements(root, 'settings').map((s) => attribute(s, 'pass'))).toEqual(['windowsPE', 'specialize', 'oobeSystem'])
    const all = components(xml)
    expect(all.filter((c) => c.architecture === 'x86').map((c) => `${c.pass} ${c.name}`)).toEqual([
      'windowsPE Microsoft-Windows-International-Core-WinPE',
      'windowsPE Microsoft-Windows-Setup',
      'specialize Microsoft-Windows-Deployment',
      'specialize Microsoft-Windows-Shell-Setup',
      'oobeSystem Microsoft-Windows-International-Core',
      'oobeSystem Microsoft-Windows-Shell-Setup',
    ])
    expect(all.length).toBe(3 * 6)
    for (const c of all) {
      expect(c.element.attributes).toEqual([
        ['name', c.name],
        ['processorArchitecture', c.architecture],
        ['publicKeyToken', '31bf3856ad364e35'],
        ['language', 'neutral'],
        ['versionScope', 'nonSxS'],
      ])
    }
  })

  it('writes nothing but the envelope when no option is on', () => {
    const { xml, warnings } = buildAutounattend(AMD64)
    expect(childElements(parseXml(xml))).toEqual([])
    expect(warnings).toEqual([])
  })

  it('writes one copy of every component for each architecture asked for, identical but for the attribute', () => {
    const { xml } = buildAutounattend({ ...EVERYTHING, architectures: ['arm64', 'amd64'] })
    const byArchitecture = (architecture: string) => components(xml).filter((c) => c.architecture === architecture)
    expect(byArchitecture('x86')).toEqual([])
    expect(byArchitecture('arm64').map((c) => `${c.pass} ${c.name}`)).toEqual(byArchitecture('amd64').map((c) => `${c.pass} ${c.name}`))
    expect(byArchitecture('arm64').map((c) => c.element.children)).toEqual(byArchitecture('amd64').map((c) => c.element.children))
    // Within a pass, a component's copies sit together in the order the caller gave.
    expect(components(xml).slice(0, 2).map((c) => c.architecture)).toEqual(['arm64', 'amd64'])
  })
})

describe('each option writes its documented settings, in their pass and component, and nothing else', () => {
  const cases: Array<[string, Partial<UnattendOptionsInput>, string[]]> = [
    [
      'bypassHardwareChecks: LabConfig values from windowsPE commands',
      { bypassHardwareChecks: true },
      [
        ...['BypassTPMCheck', 'BypassSecureBootCheck', 'BypassRAMCheck', 'BypassStorageCheck', 'BypassCPUCheck'].map(
          (value, i) => `windowsPE Microsoft-Windows-Setup RunSynchronous/RunSynchronousCommand[${i + 1}] = reg.exe add "HKLM\\SYSTEM\\Setup\\LabConfig" /v ${value} /t REG_DWORD /d 1 /f`,
        ),
        EMPTY_KEY,
      ],
    ],
    [
      'skipOnlineAccount: BypassNRO in specialize, HideOnlineAccountScreens in oobeSystem',
      { skipOnlineAccount: true },
      [
        'specialize Microsoft-Windows-Deployment RunSynchronous/RunSynchronousCommand[1] = reg.exe add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\OOBE" /v BypassNRO /t REG_DWORD /d 1 /f',
        'oobeSystem Microsoft-Windows-Shell-Setup OOBE/HideOnlineAccountScreens = true',
      ],
    ],
    [
      'localAccount: an administrator with an encoded password',
      { localAccount: { name: 'tech', password: 'Secret1' } },
      [
        'oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/Group = Administrators',
        'oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/Name = tech',
        'oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/Password/PlainText = false',
        `oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/Password/Value = ${SECRET1}`,
      ],
    ],
    [
      'localAccount: a standard user without a password, signed in twice automatically',
      { localAccount: { name: 'kiosk', displayName: 'Kiosk', administrator: false, autoLogonCount: 2 } },
      [
        'oobeSystem Microsoft-Windows-Shell-Setup AutoLogon/Enabled = true',
        'oobeSystem Microsoft-Windows-Shell-Setup AutoLogon/LogonCount = 2',
        'oobeSystem Microsoft-Windows-Shell-Setup AutoLogon/Password/PlainText = false',
        'oobeSystem Microsoft-Windows-Shell-Setup AutoLogon/Password/Value = UABhAHMAcwB3AG8AcgBkAA==',
        'oobeSystem Microsoft-Windows-Shell-Setup AutoLogon/Username = kiosk',
        'oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/DisplayName = Kiosk',
        'oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/Group = Users',
        'oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/Name = kiosk',
        'oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/Password/PlainText = false',
        'oobeSystem Microsoft-Windows-Shell-Setup UserAccounts/LocalAccounts/LocalAccount[1]/Password/Value = UABhAHMAcwB3AG8AcgBkAA==',
      ],
    ],
    [
      'regional: Setup and OOBE languages, keyboard and time zone',
      { regional: REGIONAL },
      [
        'windowsPE Microsoft-Windows-International-Core-WinPE InputLocale = 0807:00000807',
        'windowsPE Microsoft-Windows-International-Core-WinPE SetupUILanguage/UILanguage = de-DE',
        'windowsPE Microsoft-Windows-International-Core-WinPE SystemLocale = de-DE',
        'windowsPE Microsoft-Windows-International-Core-WinPE UILanguage = de-DE',
        'windowsPE Microsoft-Windows-International-Core-WinPE UserLocale = de-CH',
        'specialize Microsoft-Windows-Shell-Setup TimeZone = W. Europe Standard Time',
        'oobeSystem Microsoft-Windows-International-Core InputLocale = 0807:00000807',
        'oobeSystem Microsoft-Windows-International-Core SystemLocale = de-DE',
        'oobeSystem Microsoft-Windows-International-Core UILanguage = de-DE',
        'oobeSystem Microsoft-Windows-International-Core UserLocale = de-CH',
      ],
    ],
    [
      'skipPrivacyQuestions: privacy settings off, OEM registration skipped',
      { skipPrivacyQuestions: true },
      ['oobeSystem Microsoft-Windows-Shell-Setup OOBE/HideOEMRegistrationScreen = true', 'oobeSystem Microsoft-Windows-Shell-Setup OOBE/ProtectYourPC = 3'],
    ],
    ['hideWirelessSetup', { hideWirelessSetup: true }, ['oobeSystem Microsoft-Windows-Shell-Setup OOBE/HideWirelessSetupInOOBE = true']],
    [
      'preventDeviceEncryption: the documented registry value, from specialize',
      { preventDeviceEncryption: true },
      [
        'specialize Microsoft-Windows-Deployment RunSynchronous/RunSynchronousCommand[1] = reg.exe add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\BitLocker" /v PreventDeviceEncryption /t REG_DWORD /d 1 /f',
      ],
    ],
    [
      "acceptEula: Setup's and OOBE's license pages",
      { acceptEula: true },
      ['windowsPE Microsoft-Windows-Setup UserData/AcceptEula = true', EMPTY_KEY, 'oobeSystem Microsoft-Windows-Shell-Setup OOBE/HideEULAPage = true'],
    ],
    ['computerName', { computerName: 'LAB-01' }, ['specialize Microsoft-Windows-Shell-Setup ComputerName = LAB-01']],
    [
      'productKey, normalised to upper case',
      { productKey: ' w269n-wfgwx-yvc9b-4j6c9-t83gx ' },
      ['windowsPE Microsoft-Windows-Setup UserData/ProductKey/Key = W269N-WFGWX-YVC9B-4J6C9-T83GX'],
    ],
  ]

  it.each(cases)('%s', (_, option, expected) => {
    expect(settingLines(buildAutounattend({ ...AMD64, ...option }).xml)).toEqual(expected)
  })

  it('adds up: all options together write exactly the union of what each writes alone', () => {
    const alone = cases
      .filter(([name]) => !name.startsWith('localAccount: a standard'))
      .flatMap(([, option]) => settingLines(buildAutounattend({ ...AMD64, ...option }).xml))
      .filter((line) => line !== EMPTY_KEY) // the product key fills the element
    const together = settingLines(buildAutounattend({ ...EVERYTHING, localAccount: { name: 'tech', password: 'Secret1' } }).xml)
    // Commands are renumbered when they share a list; the rest must match one for one.
    const unnumbered = (lines: string[]) => [...new Set(lines.map((l) => l.replace(/\[\d+\]/, '')))].sort()
    expect(unnumbered(together)).toEqual(unnumbered(alone))
  })
})

describe('commands', () => {
  it('number the commands of one pass 1, 2, ... in the order the options add them, each with a description', () => {
    const { xml } = buildAutounattend({ ...AMD64, skipOnlineAccount: true, preventDeviceEncryption: true })
    const commands = childElements(childElements(component(xml, 'specialize', 'Microsoft-Windows-Deployment'), 'RunSynchronous')[0]!)
    expect(commands.map((c) => textAt(c, ['Order']))).toEqual(['1', '2'])
    expect(commands.map((c) => textAt(c, ['Path']))).toEqual([
      expect.stringContaining('BypassNRO'),
      expect.stringContaining('PreventDeviceEncryption'),
    ])
    for (const c of commands) expect(textAt(c, ['Description'])).toMatch(/\w{3}/)
  })
})

describe('values that need escaping', () => {
  it("survive the trip through XML: a display name like O'Brien & <Co>", () => {
    const { xml } = buildAutounattend({ ...AMD64, localAccount: { name: "O'Brien&Co", displayName: "O'Brien & <Co>" } })
    expect(xml).toContain('<DisplayName>O&apos;Brien &amp; &lt;Co&gt;</DisplayName>')
    expect(xml).toContain('<Name>O&apos;Brien&amp;Co</Name>')
    const account = textAt(component(xml, 'oobeSystem', 'Microsoft-Windows-Shell-Setup'), ['UserAccounts', 'LocalAccounts', 'LocalAccount', 'DisplayName'])
    expect(account).toBe("O'Brien & <Co>")
  })

  it('keep passwords out of the text: only their encoded form is written', () => {
    const password = '<p&ss "word">'
    const { xml } = buildAutounattend({ ...AMD64, localAccount: { name: 'tech', password } })
    expect(xml).not.toContain('p&amp;ss')
    const value = textAt(component(xml, 'oobeSystem', 'Microsoft-Windows-Shell-Setup'), ['UserAccounts', 'LocalAccounts', 'LocalAccount', 'Password', 'Value'])
    expect(Buffer.from(value!, 'base64').toString('utf16le')).toBe(`${password}Password`)
  })
})

describe('password encoding', () => {
  it("matches the examples of Microsoft's unattend reference and what Setup decodes", () => {
    expect(encodeSetupPassword('password', 'Password')).toBe('cABhAHMAcwB3AG8AcgBkAFAAYQBzAHMAdwBvAHIAZAA=')
    expect(encodeSetupPassword('pw', 'Password')).toBe('cAB3AFAAYQBzAHMAdwBvAHIAZAA=')
    expect(encodeSetupPassword('', 'Password')).toBe('UABhAHMAcwB3AG8AcgBkAA==')
    expect(encodeSetupPassword('', 'AdministratorPassword')).toBe('QQBkAG0AaQBuAGkAcwB0AHIAYQB0AG8AcgBQAGEAcwBzAHcAbwByAGQA')
  })

  it('encodes characters outside Latin-1 as UTF-16 code units', () => {
    expect(Buffer.from(encodeSetupPassword('Zürich€😀', 'Password'), 'base64').toString('utf16le')).toBe('Zürich€😀Password')
  })
})

describe('the product key element', () => {
  it('is written empty whenever Microsoft-Windows-Setup is, and not at all otherwise', () => {
    const withSetup = buildAutounattend({ ...AMD64, bypassHardwareChecks: true }).xml
    expect(textAt(component(withSetup, 'windowsPE', 'Microsoft-Windows-Setup'), ['UserData', 'ProductKey', 'Key'])).toBe('')
    const withoutSetup = buildAutounattend({ ...AMD64, computerName: 'LAB-01' }).xml
    expect(components(withoutSetup).some((c) => c.name === 'Microsoft-Windows-Setup')).toBe(false)
  })
})

describe('warnings for the preview', () => {
  it('say that a password on the media can be recovered, and what auto-logon keeps', () => {
    const { warnings } = buildAutounattend({ ...AMD64, localAccount: { name: 'tech', password: 'x', autoLogonCount: 3 } })
    expect(warnings).toEqual([expect.stringMatching(/"tech".*base64.*recover/), expect.stringMatching(/"tech".*automatically 3 time/)])
  })

  it('say when the only account made is no administrator, and when it has no password', () => {
    const { warnings } = buildAutounattend({ ...AMD64, localAccount: { name: 'kiosk', administrator: false } })
    expect(warnings).toEqual([expect.stringMatching(/"kiosk" has no password/), expect.stringMatching(/no administrator/)])
  })
})

describe('a complete answer file', () => {
  it('matches the reviewed golden copy', async () => {
    const { xml } = buildAutounattend(EVERYTHING)
    await expect(xml).toMatchFileSnapshot('./golden/everything.amd64.xml')
  })

})
