import { Alert, List, Stack, Text, TextInput } from '@mantine/core'
import { IconAlertTriangle, IconFilePlus } from '@tabler/icons-react'
import type { WriteConfirmation, WritePreparation } from '../../../../shared/drives'
import { DriveFacts } from './DriveFacts'
import { PartitionTable } from './PartitionTable'

/** Whether what was typed confirms the write (only fixed disks ask for it). */
export function typedConfirmationOk(prep: WritePreparation, typed: string): boolean {
  return !prep.typedConfirmation || typed.trim() === prep.typedConfirmation
}

/** A new image file: nothing exists yet that the write could destroy. */
export function createsNewFile(prep: WritePreparation): boolean {
  return prep.drive.kind === 'image-file' && !prep.drive.exists
}

/** The confirmation the destructive call presents: the one-time token, and the typed name when one was asked. */
export function confirmationOf(prep: WritePreparation, typed: string): WriteConfirmation {
  return { token: prep.token, ...(prep.typedConfirmation ? { typed } : {}) }
}

/**
 * What drives.prepareWrite said, as the technician must read it before confirming: which disk
 * (model, size, bus, serial), what is erased (in sentences, with the partitions that go), what the drive holds afterwards, whether
 * it is read back, the warnings, and the typed confirmation a fixed disk asks for.
 */
export function EraseReview({ prep, typed, onTypedChange }: { prep: WritePreparation; typed: string; onTypedChange: (typed: string) => void }) {
  // A new image file loses nothing: saying "erases" there would teach people to skim the red box.
  const creates = createsNewFile(prep)
  return (
    <Stack gap="sm" data-testid="erase-review">
      <Alert
        color={creates ? 'blue' : 'red'}
        variant="light"
        icon={creates ? <IconFilePlus size={20} /> : <IconAlertTriangle size={20} />}
        title={creates ? `This creates ${prep.driveLabel}` : `This erases ${prep.driveLabel}`}
        data-testid="erase-alert"
      >
        <Stack gap={4}>
          {prep.erases.summary.map((s) => (
            <Text key={s} size="sm">
              {s}
            </Text>
          ))}
        </Stack>
      </Alert>
      {prep.drive.kind === 'disk' && <DriveFacts drive={prep.drive} serial={prep.identity.serial} />}
      {prep.erases.partitions.length > 0 && <PartitionTable rows={prep.erases.partitions} testId="erase-table" />}
      <Stack gap={2} data-testid="erase-outcome">
        <Text size="sm" fw={600}>
          Afterwards
        </Text>
        {prep.outcome.split('\n').map((line) => (
          <Text key={line} size="sm">
            {line}
          </Text>
        ))}
      </Stack>
      <Text size="sm" c="dimmed">
        {prep.verify ? 'Everything written is read back and compared.' : 'Written data is not read back.'}
      </Text>
      {prep.warnings.length > 0 && (
        <List size="sm" c="orange" data-testid="erase-warnings">
          {prep.warnings.map((w) => (
            <List.Item key={w}>{w}</List.Item>
          ))}
        </List>
      )}
      {prep.typedConfirmation && (
        <TextInput
          label={`Type ${prep.typedConfirmation} to confirm`}
          description="This is a fixed disk, not a removable stick."
          value={typed}
          onChange={(e) => onTypedChange(e.currentTarget.value)}
          data-testid="typed-confirmation"
          ff="monospace"
          maw={420}
          autoFocus
        />
      )}
    </Stack>
  )
}
