/**
 * "Put there by …; it will come back until …" for one place of a finding, in the window's language:
 * shown on the finding's store picture and on each place of the removal wizard's review step. The
 * engine worked it out once (src/stores/shared/placed-by.ts); this only says it.
 */
import type { ReactElement } from 'react'
import type { Translator } from '../i18n'
import { useI18n } from '../i18n-context'
import type { PlacedBy } from '../types'
import { Icon } from './icons'

/** The file as people find it: with the line that sets a variable (`~/.profile:12`). */
function where(placed: PlacedBy): string {
  return placed.line !== undefined && placed.file ? `${placed.file}:${placed.line}` : (placed.file ?? '')
}

/** What put it there, in a sentence. */
export function placedByText(t: Translator['t'], placed: PlacedBy): string {
  const vars = { name: placed.name ?? '', file: where(placed), tool: placed.tool ?? '' }
  switch (placed.by) {
    case 'policy':
      return t(placed.file ? (placed.profile ? 'placed.policyProfile' : 'placed.policy') : 'placed.policyUnnamed', vars)
    case 'package':
      return t('placed.package', vars)
    case 'environment':
      return t(placed.file ? 'placed.environment' : 'placed.environmentUnknown', vars)
    case 'generated':
      return t(placed.file ? 'placed.generated' : 'placed.generatedUnknown', vars)
    default:
      return t('placed.hand')
  }
}

/** Whether it comes back after a removal, in a sentence. */
export function comesBackText(t: Translator['t'], placed: PlacedBy): string {
  const vars = { name: placed.name ?? '', tool: placed.tool ?? '' }
  if (!placed.comesBack) return t('placed.back.none')
  switch (placed.by) {
    case 'policy':
      return t('placed.back.policy')
    case 'package':
      return t('placed.back.package', vars)
    case 'environment':
      return t('placed.back.environment', vars)
    case 'generated':
      return t('placed.back.generated', vars)
    default:
      return t('placed.back.none')
  }
}

/** The two sentences, marked as a warning when the cause puts it back. */
export function PlacedByNote({ placed }: { readonly placed: PlacedBy | undefined }): ReactElement | null {
  const { t } = useI18n()
  if (!placed) return null
  return (
    <span className={placed.comesBack ? 'placed-by placed-by-returns' : 'placed-by'}>
      <Icon name={placed.comesBack ? 'warning' : 'hand'} />
      <span>
        {placedByText(t, placed)} {comesBackText(t, placed)}
      </span>
    </span>
  )
}
