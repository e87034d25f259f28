/**
 * The contract's types, re-exported for the renderer. Types only: nothing from src/ is bundled into
 * the window (STYLE.md 2 and 10); `window.certAudit` is the one way to the engine.
 */
export type { AppInfo, CertAuditBridge, PlannedRemoval as RemovalPlan, Responses, ScanProgressEvent } from '../../src/api/contract'
export type { Finding, FindingLocation, RuleId, ScanReport, Severity, StoreFacts, StoreKind, StoreReport, TrustState, VerdictLevel } from '../../src/audit/report'
export type { BlocklistCategory } from '../../src/audit/blocklist'
export type { EntryStatus, PlannedChange } from '../../src/removal/journal'
export type { ChangeReport, EntryResult, UndoPreview, UndoPreviewEntry } from '../../src/removal/engine'
export type { ChangeState, ChangeSummary } from '../../src/removal/history'
