/**
 * The contract's types, re-exported for the renderer. Types only: nothing of the engine is bundled into
 * the window (STYLE.md 2 and 10; the one module from src/ it bundles is the pure text function of
 * ./visible.ts); `window.certAudit` is the one way to the engine.
 */
export type { AppInfo, CertAuditBridge, GuardCheck, GuardStatus, PlannedRemoval as RemovalPlan, Responses, ScanProgressEvent } from '../../src/api/contract'
export type { Finding, FindingLocation, PlacedBy, RuleId, ScanReport, Severity, StoreFacts, StoreKind, StoreReport, TrustState, VerdictLevel } from '../../src/audit/report'
export type { BlocklistCategory } from '../../src/audit/blocklist'
export type { EntryStatus, PlannedChange } from '../../src/removal/journal'
export type { ChangeReport, EntryResult, UndoPreview, UndoPreviewEntry } from '../../src/removal/engine'
export type { ChangeState, ChangeSummary } from '../../src/removal/history'
export type { GuardEvent, GuardLocation, LoggedEvent } from '../../src/guard/schemas'
export type { ScheduleKind } from '../../src/guard/schedule/index'
