import { Alert, Stack, Text } from '@mantine/core'
import { IconInfoCircle } from '@tabler/icons-react'
import type { JobSnapshot } from '../../../../shared/jobs'
import { JobCard } from '../JobCard'

/** Steps 6 and 7: the running job, live, with what the technician should (not) do meanwhile. */
export function WriteProgress({ job, verifying, imageFile }: { job: JobSnapshot; verifying: boolean; imageFile: boolean }) {
  return (
    <Stack gap="md" data-testid="media-progress">
      <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
        <Text size="sm">
          {verifying
            ? 'Everything written is being read back through the file system and compared with the source.'
            : imageFile
              ? 'Writing the image file. If you cancel, the job says what it left behind.'
              : 'Writing. Leave the drive plugged in until the job has finished: a stick pulled out now is left half-written.'}
        </Text>
      </Alert>
      <JobCard job={job} />
    </Stack>
  )
}
