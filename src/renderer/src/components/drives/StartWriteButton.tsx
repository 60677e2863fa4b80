import { Button } from '@mantine/core'
import { IconEraser, IconFilePlus } from '@tabler/icons-react'
import type { WritePreparation } from '../../../../shared/drives'
import { createsNewFile } from './EraseReview'

interface StartWriteButtonProps {
  prep: WritePreparation
  onClick: () => void
  loading: boolean
  disabled: boolean
  testId: string
}

/** The one button that starts a confirmed write, worded and coloured for what it does: red only when something is erased. */
export function StartWriteButton({ prep, onClick, loading, disabled, testId }: StartWriteButtonProps) {
  const creates = createsNewFile(prep)
  const what = prep.drive.kind === 'disk' ? prep.drive.device : 'the file'
  return (
    <Button
      color={creates ? undefined : 'red'}
      leftSection={creates ? <IconFilePlus size={16} /> : <IconEraser size={16} />}
      onClick={onClick}
      loading={loading}
      disabled={disabled}
      data-testid={testId}
    >
      {creates ? 'Create the file and write' : `Erase ${what} and write`}
    </Button>
  )
}
