import { MediaWizard } from '../components/media/MediaWizard'
import { PageHeader } from '../components/PageHeader'

export function MediaPage() {
  return (
    <>
      <PageHeader
        title="Create media"
        description="Turn a Windows ISO into a bootable USB stick or image file: keep the editions you need, add an answer file, write, and read it all back."
      />
      <MediaWizard />
    </>
  )
}
