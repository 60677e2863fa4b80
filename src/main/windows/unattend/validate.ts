/** Options from any front end, checked before anything is built: bad input is a VALIDATION error naming the field. */
import { AppError } from '../../../shared/errors'
import { unattendOptionsSchema, type UnattendOptions } from '../../../shared/unattend'
import { isWindowsTimeZone } from './time-zones'

export function parseUnattendOptions(input: unknown): UnattendOptions {
  const parsed = unattendOptionsSchema.safeParse(input)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(options)', message: issue.message }))
    throw new AppError('VALIDATION', `Invalid answer-file options: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`, {
      field: issues[0]!.field,
      fields: [...new Set(issues.map((i) => i.field))],
    })
  }
  const timeZone = parsed.data.regional?.timeZone
  // The shared schema checks only the shape: the table of Windows zones lives in the engine.
  if (timeZone !== undefined && !isWindowsTimeZone(timeZone)) {
    throw new AppError('VALIDATION', `Invalid answer-file options: regional.timeZone "${timeZone}" is not a Windows time zone ID`, {
      field: 'regional.timeZone',
      fields: ['regional.timeZone'],
    })
  }
  return parsed.data
}
