import { unattendOptionsSchema, type RegionalSettings, type UnattendArchitecture, type UnattendOptionsInput } from '../../../../shared/unattend'

/** The answer-file choices as the form holds them (a local account's fields survive switching it off and on). */
export interface AnswerForm {
  bypassHardwareChecks: boolean
  skipOnlineAccount: boolean
  skipPrivacyQuestions: boolean
  preventDeviceEncryption: boolean
  account: { enabled: boolean; name: string; password: string; administrator: boolean }
  /** null: Setup asks for language, keyboard and time zone. */
  regional: RegionalSettings | null
}

export const NO_ANSWERS: AnswerForm = {
  bypassHardwareChecks: false,
  skipOnlineAccount: false,
  skipPrivacyQuestions: false,
  preventDeviceEncryption: false,
  account: { enabled: false, name: '', password: '', administrator: true },
  regional: null,
}

export type AnswerSwitch = 'bypassHardwareChecks' | 'skipOnlineAccount' | 'skipPrivacyQuestions' | 'preventDeviceEncryption'

/** The options sent to the engine, or undefined when nothing is asked (then no answer file is written). */
export function answerOptions(form: AnswerForm, architectures: UnattendArchitecture[]): UnattendOptionsInput | undefined {
  const options: UnattendOptionsInput = { architectures }
  const switches: AnswerSwitch[] = ['bypassHardwareChecks', 'skipOnlineAccount', 'skipPrivacyQuestions', 'preventDeviceEncryption']
  for (const key of switches) if (form[key]) options[key] = true
  if (form.account.enabled) {
    options.localAccount = { name: form.account.name, administrator: form.account.administrator, ...(form.account.password ? { password: form.account.password } : {}) }
  }
  if (form.regional) options.regional = form.regional
  return Object.keys(options).length > 1 ? options : undefined
}

/**
 * Field errors by path ("localAccount.name"), from the same schema the engine checks with,
 * so a bad value is flagged at its input as it is typed instead of at the review.
 */
export function answerErrors(options: UnattendOptionsInput | undefined): Record<string, string> {
  if (!options) return {}
  const parsed = unattendOptionsSchema.safeParse(options)
  if (parsed.success) return {}
  const errors: Record<string, string> = {}
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.')
    errors[path] ??= capitalize(issue.message)
  }
  return errors
}

function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1)
}
