import { Paper, Stepper } from '@mantine/core'
import { IconMinus, IconX } from '@tabler/icons-react'
import { useState } from 'react'
import type { Drive } from '../../../../shared/drives'
import type { JobSnapshot } from '../../../../shared/jobs'
import type { MediaInspection } from '../../../../shared/media'
import { useDrives } from '../../hooks/use-drives'
import { useJobs } from '../../hooks/use-jobs'
import { useRecentPaths } from '../../hooks/use-recent-paths'
import { answerErrors, answerOptions, NO_ANSWERS } from './answer-form'
import { AnswerFilePreview } from './AnswerFilePreview'
import { EditionsStep } from './EditionsStep'
import { MediaSummary } from './MediaSummary'
import { defaultLayout, mediaRequest } from './media-request'
import { OptionsStep, type MediaSettings } from './OptionsStep'
import { ReviewStep } from './ReviewStep'
import { SourceStep } from './SourceStep'
import { TargetStep } from './TargetStep'
import { useAnswerPreview } from './use-answer-preview'
import { useMediaInspection } from './use-media-inspection'
import { useRegionalData } from './use-regional-data'
import { WizardNav } from './WizardNav'
import { WriteProgress } from './WriteProgress'

const STEPS = ['Source', 'Editions', 'Target', 'Options', 'Review', 'Write', 'Verify', 'Summary'] as const
const TARGET = 2
const REVIEW = 4
const WRITE = 5
const VERIFY = 6
const SUMMARY = 7

/** The step a job is at: its phases decide it, so the steps follow the engine's events. */
function jobStep(job: JobSnapshot): number {
  if (job.state === 'succeeded') return SUMMARY
  // A failed or cancelled job stays at the step it stopped in, marked, with its summary there.
  const at = job.state === 'running' ? job.phases.find((p) => p.id === job.phase) : (job.phases.find((p) => p.state === 'failed') ?? job.phases.find((p) => p.state === 'running'))
  return at?.id === 'verify' || at?.id === 'finish' ? VERIFY : WRITE
}

function settingsFor(inspection: MediaInspection): Omit<MediaSettings, 'answers'> {
  return { layout: defaultLayout(inspection), label: inspection.defaultLabel, verify: true }
}

/** Why the step's Next is not possible yet, or null. */
function nextBlocker(step: number, c: { inspection: MediaInspection | null; editions: number[]; target: Drive | null; sizeGiB: number | null; invalidAnswers: boolean }): string | null {
  if (step === 0 && !c.inspection) return 'Inspect a Windows ISO or folder first'
  if (step === 1 && c.editions.length === 0) return 'Keep at least one edition'
  if (step === TARGET && !c.target) return 'Choose a drive or an image file'
  if (step === TARGET && c.sizeGiB !== null && !(c.sizeGiB > 0)) return 'Give the size of the new file'
  if (step === 3 && c.invalidAnswers) return 'Fix the answer-file fields marked in red'
  return null
}

/**
 * Source → editions → target → options → review → write → verify → summary. Choices live
 * here; what the engine does with them (inspection, preview, preparation, the job) is asked
 * of it and shown as it answers, never mirrored by hand.
 */
export function MediaWizard() {
  const [step, setStep] = useState(0)
  const [sourcePath, setSourcePath] = useState('')
  const inspection = useMediaInspection()
  const { recent, remember } = useRecentPaths('imaging.recent-media-sources')
  const [editions, setEditions] = useState<number[]>([])
  const { listing, error: listingError, refresh } = useDrives()
  const [chosen, setChosen] = useState<Drive | null>(null)
  const [sizeGiB, setSizeGiB] = useState<number | null>(null)
  const [settings, setSettings] = useState<MediaSettings | null>(null)
  const [started, setStarted] = useState<JobSnapshot | null>(null)
  const { jobs } = useJobs()

  const info = inspection.inspection
  // The live listing has the newest facts about the chosen drive (a file now exists, a stick was re-plugged).
  const live = chosen && listing ? [...listing.disks, ...listing.imageFiles].find((d) => d.id === chosen.id) : undefined
  const target = live ?? chosen
  const job = started ? (jobs.find((j) => j.id === started.id) ?? started) : null
  const kept = info ? info.editions.filter((e) => editions.includes(e.index)) : []
  const languages = [...new Set(kept.flatMap((e) => e.languages))]
  const regional = useRegionalData(languages)
  const unattend = info && settings ? answerOptions(settings.answers, info.architectures) : undefined
  const errors = answerErrors(unattend)
  const invalidAnswers = Object.keys(errors).length > 0
  const preview = useAnswerPreview(unattend, !invalidAnswers)

  const inspect = (path: string): void => {
    setSourcePath(path)
    void inspection.inspect(path).then((result) => {
      if (!result) return
      remember(path)
      setEditions(result.editions.map((e) => e.index))
      // Answer-file choices are the technician's, not the source's: they survive picking another ISO.
      setSettings((current) => ({ ...settingsFor(result), answers: current?.answers ?? NO_ANSWERS }))
    })
  }
  const chooseTarget = (drive: Drive): void => {
    setChosen(drive)
    if (drive.kind !== 'image-file' || drive.exists) setSizeGiB(null)
  }
  const again = (): void => {
    setStarted(null)
    setChosen(null)
    setStep(TARGET)
  }
  const retry = (): void => {
    setStarted(null)
    setStep(REVIEW)
  }

  const active = job ? jobStep(job) : step
  const failed = job !== null && job.state !== 'running' && job.state !== 'succeeded'
  const verifySkipped = job?.phases.find((p) => p.id === 'verify')?.state === 'skipped'
  const finished = job && job.state !== 'running' ? <MediaSummary job={job} onAgain={again} onRetry={retry} /> : null
  const blocker = nextBlocker(step, { inspection: info, editions, target, sizeGiB: target?.kind === 'image-file' && !target.exists ? sizeGiB : null, invalidAnswers })
  const nav = <WizardNav onBack={step > 0 ? () => setStep(step - 1) : undefined} onNext={() => setStep(step + 1)} blocker={blocker} />
  const previewPanel = <AnswerFilePreview {...preview} wanted={unattend !== undefined} invalid={invalidAnswers} height={320} />

  return (
    <Paper withBorder p="lg" data-testid="media-wizard">
      <Stepper
        active={active}
        onStepClick={(i) => !job && i < step && setStep(i)}
        allowNextStepsSelect={false}
        size="sm"
        contentPadding="xl"
        labelPosition="bottom"
        data-testid="media-stepper"
      >
        <Stepper.Step label={STEPS[0]} allowStepSelect={!job}>
          <SourceStep path={sourcePath} onPathChange={setSourcePath} state={inspection} onInspect={inspect} recent={recent} />
          {nav}
        </Stepper.Step>
        <Stepper.Step label={STEPS[1]} allowStepSelect={!job}>
          {info && <EditionsStep inspection={info} selected={editions} onChange={setEditions} />}
          {nav}
        </Stepper.Step>
        <Stepper.Step label={STEPS[2]} allowStepSelect={!job}>
          <TargetStep listing={listing} listingError={listingError} refresh={refresh} target={target} onTarget={chooseTarget} sizeGiB={sizeGiB} onSizeChange={setSizeGiB} />
          {nav}
        </Stepper.Step>
        <Stepper.Step label={STEPS[3]} allowStepSelect={!job}>
          {info && settings && (
            <OptionsStep inspection={info} settings={settings} onChange={setSettings} errors={errors} regional={regional} languages={languages} preview={{ ...preview, wanted: unattend !== undefined }} />
          )}
          {nav}
        </Stepper.Step>
        <Stepper.Step label={STEPS[REVIEW]} allowStepSelect={false}>
          {info && settings && target && (
            <ReviewStep
              request={mediaRequest({ inspection: info, editions, target, sizeGiB, layout: settings.layout, label: settings.label, unattend, verify: settings.verify })}
              onBack={() => setStep(REVIEW - 1)}
              onStarted={setStarted}
              answerFile={unattend ? previewPanel : null}
            />
          )}
        </Stepper.Step>
        <Stepper.Step label={STEPS[WRITE]} allowStepSelect={false} color={failed && active === WRITE ? 'red' : undefined} progressIcon={failed && active === WRITE ? <IconX size={18} /> : undefined}>
          {job && (finished ?? <WriteProgress job={job} verifying={false} imageFile={target?.kind === 'image-file'} />)}
        </Stepper.Step>
        <Stepper.Step
          label={STEPS[VERIFY]}
          description={settings && !settings.verify ? 'Off' : undefined}
          allowStepSelect={false}
          color={failed && active === VERIFY ? 'red' : undefined}
          progressIcon={failed && active === VERIFY ? <IconX size={18} /> : undefined}
          completedIcon={verifySkipped ? <IconMinus size={18} /> : undefined}
        >
          {job && (finished ?? <WriteProgress job={job} verifying imageFile={target?.kind === 'image-file'} />)}
        </Stepper.Step>
        <Stepper.Step label={STEPS[SUMMARY]} allowStepSelect={false}>
          {finished}
        </Stepper.Step>
      </Stepper>
    </Paper>
  )
}
