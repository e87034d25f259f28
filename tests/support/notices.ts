import { noticesText, noticeText } from '../../src/stores/shared/notices.js'
import type { Capabilities } from '../../src/stores/types.js'

/** A writer's capabilities with its notices in English words, as `certaudit remove` shows them. */
export function inWords(can: Capabilities): Record<string, unknown> {
  const { manual, warnings, modeWarnings, ...rest } = can
  return {
    ...rest,
    ...(manual ? { manual: noticeText(manual) } : {}),
    ...(warnings?.length ? { warning: noticesText(warnings) } : {}),
    ...(modeWarnings ? { modeWarnings: Object.fromEntries(Object.entries(modeWarnings).map(([mode, notice]) => [mode, noticeText(notice)])) } : {}),
  }
}
