/** Options in, autounattend.xml out: the text the UI previews and the media builder writes, unchanged. */
import type { UnattendOptionsInput, UnattendPreview } from '../../../shared/unattend'
import { AnswerFile } from './answer-file'
import { OPTION_WRITERS } from './settings'
import { parseUnattendOptions } from './validate'

/** The file name Windows Setup looks for at the root of removable media. */
export const AUTOUNATTEND_FILE_NAME = 'autounattend.xml'

export function buildAutounattend(input: UnattendOptionsInput): UnattendPreview {
  const options = parseUnattendOptions(input)
  const file = new AnswerFile()
  for (const write of OPTION_WRITERS) write(options, file)
  return { xml: file.toXml(options.architectures), warnings: file.warnings }
}
