/**
 * What a technician can ask of the answer file (autounattend.xml) written onto install media:
 * the options, their limits as Windows documents them, and the preview the UI shows before
 * anything is written. Shared by the engine (which builds the XML), the UI and the CLI, so the
 * same rules reject a bad value wherever it is typed.
 */
import { z } from 'zod'

/** Windows Setup's names for the image architectures an answer file can target. */
export const UNATTEND_ARCHITECTURES = ['amd64', 'arm64', 'x86'] as const
export type UnattendArchitecture = (typeof UNATTEND_ARCHITECTURES)[number]

// Control characters and unpaired surrogates: XML 1.0 cannot carry most of them, escaped or not.
const UNWRITABLE = /[\p{Cc}\p{Cs}]/u

/** Computer names are NetBIOS names: 15 bytes, and DNS-safe so the machine can join a domain. */
export const MAX_COMPUTER_NAME_LENGTH = 15
const computerName = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(MAX_COMPUTER_NAME_LENGTH, `must be at most ${MAX_COMPUTER_NAME_LENGTH} characters (a NetBIOS name)`)
  .regex(/^[A-Za-z0-9-]+$/, 'may contain only the letters A-Z, digits and hyphens')
  .refine((name) => !/^[0-9]+$/.test(name), 'must not be digits only')
  .refine((name) => !name.startsWith('-') && !name.endsWith('-'), 'must not start or end with a hyphen')

/** Local account names: 20 characters, none of the characters the unattend reference and NetUserAdd refuse. */
export const MAX_USER_NAME_LENGTH = 20
const RESERVED_USER_NAMES = ['administrator', 'guest', 'defaultaccount', 'wdagutilityaccount', 'none', 'system', 'local service', 'network service']
const userName = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(MAX_USER_NAME_LENGTH, `must be at most ${MAX_USER_NAME_LENGTH} characters`)
  .refine((name) => !/["/\\[\]:|<>+=;,?*%@]/.test(name), 'must not contain any of " / \\ [ ] : | < > + = ; , ? * % @')
  .refine((name) => !UNWRITABLE.test(name), 'must not contain control characters')
  .refine((name) => name.trim() === name && name.replaceAll('.', '').trim() !== '', 'must not start or end with a space or be only dots and spaces')
  .refine((name) => !name.endsWith('.'), 'must not end with a dot')
  .refine((name) => !RESERVED_USER_NAMES.includes(name.toLowerCase()), 'is the name of a built-in account')

const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !UNWRITABLE.test(value), 'must not contain control characters')

/** A Windows locale name: en-US, sr-Latn-RS, es-419. */
const LOCALE_NAME = String.raw`[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?`
const localeName = z.string().regex(new RegExp(`^${LOCALE_NAME}$`), 'must be a Windows locale name such as en-US')

// One input profile: a locale name (its default keyboard), LCID:KLID, or LCID:{TIP}{profile} for an IME.
const INPUT_PROFILE = String.raw`(?:${LOCALE_NAME}|[0-9A-Fa-f]{4}:(?:[0-9A-Fa-f]{8}|\{[0-9A-Fa-f-]{36}\}\{[0-9A-Fa-f-]{36}\}))`
const inputLocale = z
  .string()
  .regex(new RegExp(`^${INPUT_PROFILE}(?:; ?${INPUT_PROFILE})*$`), 'must be input profiles such as 0409:00000409 or en-US, separated by ;')

/** Shape only: the engine checks the ID against the table of Windows time zones it knows. */
const timeZoneId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 .+()-]{0,63}$/, 'must be a Windows time zone ID such as "W. Europe Standard Time"')

export const regionalSettingsSchema = z.strictObject({
  /** The Setup and Windows display language; it must be one the image contains. */
  uiLanguage: localeName,
  /** The language for non-Unicode programs. */
  systemLocale: localeName,
  /** Formats of dates, times, numbers and currency. */
  userLocale: localeName,
  /** Keyboards, the default first. */
  inputLocale,
  /** A Windows time zone ID (the registry key name), not an IANA zone. */
  timeZone: timeZoneId,
})
export type RegionalSettings = z.infer<typeof regionalSettingsSchema>

/** Windows accepts passwords up to 127 characters. */
export const MAX_PASSWORD_LENGTH = 127

export const localAccountSchema = z.strictObject({
  name: userName,
  displayName: text(256).optional(),
  /** Left out: an account without a password. */
  password: text(MAX_PASSWORD_LENGTH).optional(),
  administrator: z.boolean().default(true),
  /** Log this account on automatically this many times (for first-logon work), then stop. */
  autoLogonCount: z.number().int().min(1).max(1000).optional(),
})
export type LocalAccount = z.infer<typeof localAccountSchema>

export const unattendOptionsSchema = z
  .strictObject({
    /** Every architecture the target image may have; one set of components is written for each. */
    architectures: z
      .array(z.enum(UNATTEND_ARCHITECTURES))
      .min(1, 'must name at least one architecture')
      .refine((list) => new Set(list).size === list.length, 'must not name an architecture twice'),
    /** Windows 11 Setup's TPM 2.0, Secure Boot, RAM, storage and CPU checks are skipped. */
    bypassHardwareChecks: z.boolean().default(false),
    /** OOBE offers no Microsoft-account sign-in and lets a local account be made offline. */
    skipOnlineAccount: z.boolean().default(false),
    /** A local account made by Setup, so OOBE asks for none. */
    localAccount: localAccountSchema.optional(),
    /** Left out: Setup and OOBE ask for language, keyboard and time zone. */
    regional: regionalSettingsSchema.optional(),
    /** OOBE's privacy-settings and OEM registration pages are skipped, the privacy settings off. */
    skipPrivacyQuestions: z.boolean().default(false),
    /** OOBE does not offer to connect to a wireless network. */
    hideWirelessSetup: z.boolean().default(false),
    /** Windows does not turn on BitLocker device encryption by itself after setup. */
    preventDeviceEncryption: z.boolean().default(false),
    /** The license terms are accepted for the user: neither Setup nor OOBE shows them. */
    acceptEula: z.boolean().default(false),
    /** Left out: Windows makes up a name. */
    computerName: computerName.optional(),
    /** Left out: Setup asks for a key or an edition. A generic key selects an edition without activating it. */
    productKey: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/, 'must be five groups of five letters or digits, like XXXXX-XXXXX-XXXXX-XXXXX-XXXXX')
      .optional(),
  })
  .superRefine((options, ctx) => {
    // Windows refuses an account whose name is the computer's: the two share one namespace.
    if (options.localAccount && options.computerName && options.localAccount.name.toLowerCase() === options.computerName.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['localAccount', 'name'], message: 'must differ from the computer name' })
    }
  })

/** The options as a front end sends them (defaults not yet applied). */
export type UnattendOptionsInput = z.input<typeof unattendOptionsSchema>
/** The options after validation, every default filled in. */
export type UnattendOptions = z.output<typeof unattendOptionsSchema>

/** What the UI shows before the file is written: the exact text, and what the technician should know about it. */
export interface UnattendPreview {
  /** The whole autounattend.xml, UTF-8 text. */
  xml: string
  /** Consequences worth a second look: a recoverable password on the media, no administrator account, ... */
  warnings: string[]
}
