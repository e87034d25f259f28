/**
 * The verbs of `window.certAudit` and the channel each one uses. Kept apart from the schemas so the
 * sandboxed preload can be built from it without bundling the validation library.
 */
export const VERBS = {
  appInfo: 'app:info',
  scan: 'scan:start',
  cancelScan: 'scan:cancel',
  planRemoval: 'removal:plan',
  applyRemoval: 'removal:apply',
  undo: 'removal:undo',
  previewUndo: 'removal:undo-preview',
  resume: 'removal:resume',
  history: 'history:list',
  exportReport: 'report:export',
  openLink: 'link:open',
  checkConnection: 'connection:check',
  guardStatus: 'guard:status',
  setGuard: 'guard:set',
  guardEvents: 'guard:events',
  checkNow: 'guard:watch',
} as const

export type Verb = keyof typeof VERBS

/** Pushed from the engine to the window while a scan runs. */
export const PROGRESS_CHANNEL = 'scan:progress'

/**
 * Pushed from the desktop shell to the window when CertAudit is asked to open a finding while it runs
 * (a guard notification's click: `certaudit-app --finding <id>` or certaudit://finding/<id>).
 */
export const OPEN_FINDING_CHANNEL = 'app:open-finding'
