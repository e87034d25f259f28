/**
 * The removal wizard: review what will change → where the backup goes → close programs → permission →
 * remove and check → done (with undo). Nothing changes until "Remove now"; every step can be left
 * with the keyboard, and each new step's heading takes the focus.
 */
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react'
import { errorMessage } from '../bridge'
import { ChangeResults, changeOutcome } from '../components/change-results'
import { Busy, ErrorNotice, FocusHeading } from '../components/common'
import { GuardOffer } from '../components/guard'
import { Icon } from '../components/icons'
import { useConfirmedUndo } from '../components/undo-confirm'
import { useI18n } from '../i18n-context'
import type { CertAuditBridge, ChangeReport, RemovalPlan, ScanReport } from '../types'
import { visible } from '../visible'
import { BackupStep, PermissionStep, ProgramsStep, ReviewStep, type Mode } from './wizard-steps'

type Step = 'review' | 'backup' | 'programs' | 'permission' | 'apply' | 'done'
const STEPS: readonly Step[] = ['review', 'backup', 'programs', 'permission', 'apply', 'done']
const STEP_KEYS = {
  review: 'wizard.step.review',
  backup: 'wizard.step.backup',
  programs: 'wizard.step.programs',
  permission: 'wizard.step.permission',
  apply: 'wizard.step.apply',
  done: 'wizard.step.done',
} as const

export function RemovalWizard({
  bridge,
  report,
  findingIds,
  onBusy,
  onChanged,
  onExit,
  onScanAgain,
  onHome,
}: {
  readonly bridge: CertAuditBridge
  readonly report: ScanReport
  readonly findingIds: readonly string[]
  readonly onBusy: (busy: boolean) => void
  readonly onChanged: () => void
  readonly onExit: () => void
  readonly onScanAgain: () => void
  readonly onHome: () => void
}): ReactElement {
  const { t, lang } = useI18n()
  const [step, setStep] = useState<Step>('review')
  const [mode, setMode] = useState<Mode>('delete')
  const [fullPlan, setFullPlan] = useState<RemovalPlan | null>(null)
  const [plan, setPlan] = useState<RemovalPlan | null>(null)
  const [skipped, setSkipped] = useState<ReadonlySet<string>>(new Set())
  const [planning, setPlanning] = useState(false)
  const [working, setWorking] = useState(false)
  const [result, setResult] = useState<ChangeReport | null>(null)
  const [undoResult, setUndoResult] = useState<ChangeReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const planRun = useRef(0)
  const { confirmUndo, dialog: undoDialog } = useConfirmedUndo(bridge, report)
  // Plans are written in the window's language; a change of language before applying plans again.
  const language = useRef(lang)
  language.current = lang

  /** Plans again; only the latest answer counts (checkboxes can be toggled faster than plans come back). */
  const replan = useCallback(
    async (nextMode: Mode, nextSkipped: ReadonlySet<string>, full: boolean) => {
      const run = ++planRun.current
      setPlanning(true)
      setError(null)
      try {
        const ids = [...findingIds]
        const plan = (skip: readonly string[]) => bridge.planRemoval({ findingIds: ids, mode: nextMode, skip: [...skip], language: language.current })
        // With nothing left out, the plan of every place is also the chosen one: asked for once.
        const everything = full ? await plan([]) : null
        const chosen = everything && nextSkipped.size === 0 ? everything : await plan([...nextSkipped])
        if (planRun.current !== run) return
        if (everything) setFullPlan(everything)
        setPlan(chosen)
      } catch (e) {
        if (planRun.current === run) setError(errorMessage(e))
      } finally {
        if (planRun.current === run) setPlanning(false)
      }
    },
    [bridge, findingIds],
  )

  useEffect(() => {
    void replan('delete', new Set(), true)
  }, [replan])

  // The language was switched before the change was applied: the same choices, planned again in it.
  const plannedIn = useRef(lang)
  useEffect(() => {
    if (plannedIn.current === lang) return
    plannedIn.current = lang
    if (!result && !working) void replan(mode, skipped, true)
  }, [lang, result, working, replan, mode, skipped])

  const toggle = (location: string) => {
    const next = new Set(skipped)
    if (next.has(location)) next.delete(location)
    else next.add(location)
    setSkipped(next)
    void replan(mode, next, false)
  }
  const chooseMode = (next: Mode) => {
    setMode(next)
    void replan(next, skipped, true)
  }

  const apply = async () => {
    if (!plan) return
    setWorking(true)
    onBusy(true)
    setError(null)
    try {
      setResult(await bridge.applyRemoval({ planId: plan.id }))
      onChanged()
    } catch (e) {
      setError(errorMessage(e))
      void replan(mode, skipped, false) // a plan is used once: make a fresh one to try again
    } finally {
      setWorking(false)
      onBusy(false)
    }
  }
  const undo = async () => {
    if (!result) return
    setWorking(true)
    onBusy(true)
    setError(null)
    try {
      // What goes back where is shown, and confirmed, before anything runs (it may ask for admin rights).
      if (!(await confirmUndo(result.changeId))) return
      setUndoResult(await bridge.undo({ changeId: result.changeId }))
      onChanged()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setWorking(false)
      onBusy(false)
    }
  }

  const index = STEPS.indexOf(step)
  const active = plan?.changes.length ?? 0
  const title = fullPlan?.findings.map((f) => f.title).join(', ') ?? ''
  const next = () => setStep(STEPS[index + 1] ?? 'done')
  const previous = () => setStep(STEPS[index - 1] ?? 'review')

  return (
    <section className="wizard" aria-labelledby="wizard-title">
      <h1 className="wizard-title" id="wizard-title">
        {t(mode === 'delete' ? 'wizard.titleRemove' : 'wizard.titleDistrust', { name: title })}
      </h1>
      <ol className="wizard-steps">
        {STEPS.map((s, i) => (
          <li key={s} className={i < index ? 'step-done' : i === index ? 'step-current' : undefined} aria-current={i === index ? 'step' : undefined}>
            <span className="step-number" aria-hidden="true">
              {i < index ? <Icon name="check" /> : i + 1}
            </span>
            <span className="step-label">
              <span className="sr-only">{i < index ? t('wizard.stepDone') : ''}</span>
              {t(STEP_KEYS[s])}
            </span>
          </li>
        ))}
      </ol>

      <div className="panel wizard-panel" key={step + (result ? '-result' : '')}>
        {step === 'review' && (
          <ReviewStep plan={fullPlan} active={plan} skipped={skipped} mode={mode} report={report} planning={planning} onToggle={toggle} onMode={chooseMode} />
        )}
        {step === 'backup' && plan && <BackupStep plan={plan} />}
        {step === 'programs' && plan && <ProgramsStep plan={plan} report={report} planning={planning} onCheckAgain={() => void replan(mode, skipped, false)} />}
        {step === 'permission' && plan && <PermissionStep plan={plan} report={report} />}
        {step === 'apply' && !result && (
          <>
            <FocusHeading level={2}>{t(mode === 'delete' ? 'apply.titleRemove' : 'apply.titleDistrust')}</FocusHeading>
            <p>{t('apply.lead', { count: active })}</p>
            <ol className="plain-steps">
              <li>{t('apply.stepBackup')}</li>
              <li>{t(mode === 'delete' ? 'apply.stepRemove' : 'apply.stepDistrust', { count: active })}</li>
              <li>{t('apply.stepVerify')}</li>
            </ol>
            {working && <Busy>{t('apply.working')}</Busy>}
          </>
        )}
        {step === 'apply' && result && (
          <>
            <FocusHeading level={2}>{t('verify.title')}</FocusHeading>
            <p className={result.ok ? 'outcome outcome-ok' : 'outcome outcome-problem'}>
              <Icon name={result.ok ? 'clean' : 'warning'} />
              {changeOutcome(t, result)}
            </p>
            <ChangeResults result={result} report={report} />
          </>
        )}
        {step === 'done' && result && (
          <>
            <FocusHeading level={2}>{undoResult ? t('done.undoneTitle') : result.ok ? t('done.title') : t('done.partialTitle')}</FocusHeading>
            {!undoResult && (
              <>
                <p className="outcome">{changeOutcome(t, result)}</p>
                {!result.ok && <p>{t('done.partialAdvice')}</p>}
                {result.results.some((r) => r.status === 'removed' || r.status === 'distrusted') && <GuardOffer bridge={bridge} />}
                <p>{t('done.backup')}</p>
                <p className="path">{visible(result.backupDir)}</p>
                <section className="undo-box" aria-labelledby="undo-title">
                  <h3 id="undo-title">{t('done.undoTitle')}</h3>
                  <p>{t('done.undoLead')}</p>
                  <button type="button" className="button" disabled={working} onClick={() => void undo()}>
                    <Icon name="undo" />
                    {t('done.undo')}
                  </button>
                  {undoDialog}
                  {working && !undoDialog && <Busy>{t('done.undoing')}</Busy>}
                </section>
              </>
            )}
            {undoResult && (
              <div role="status">
                <p className="outcome">{changeOutcome(t, undoResult)}</p>
                <ChangeResults result={undoResult} report={report} />
              </div>
            )}
            <p>{t('done.scanAgainLead')}</p>
          </>
        )}
        {error && <ErrorNotice message={error} />}
      </div>

      <div className="actions wizard-actions">
        {step === 'done' ? (
          <>
            <button type="button" className="button button-primary" disabled={working} onClick={onScanAgain}>
              {t('done.scanAgain')}
            </button>
            <button type="button" className="button" disabled={working} onClick={onHome}>
              {t('done.home')}
            </button>
          </>
        ) : step === 'apply' && result ? (
          <button type="button" className="button button-primary" onClick={next}>
            {t('wizard.continue')}
          </button>
        ) : step === 'apply' ? (
          <>
            <button type="button" className={mode === 'delete' ? 'button button-danger' : 'button button-primary'} disabled={working || planning || !plan || active === 0} onClick={() => void apply()}>
              {t(mode === 'delete' ? 'apply.removeNow' : 'apply.distrustNow')}
            </button>
            <button type="button" className="button" disabled={working} onClick={previous}>
              {t('wizard.back')}
            </button>
            <button type="button" className="button button-link" disabled={working} onClick={onExit}>
              {t('wizard.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button button-primary" disabled={planning || !plan || active === 0} onClick={next}>
              {t('wizard.continue')}
            </button>
            {index > 0 && (
              <button type="button" className="button" onClick={previous}>
                {t('wizard.back')}
              </button>
            )}
            <button type="button" className="button button-link" onClick={onExit}>
              {t('wizard.cancel')}
            </button>
          </>
        )}
      </div>
    </section>
  )
}
