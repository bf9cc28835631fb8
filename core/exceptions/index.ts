/**
 * Public API of exceptions: the model and its workflow (model.ts), raising exceptions from an
 * import (from-import.ts) or a reconciliation (from-reconcile.ts), closing them when later data
 * resolves them (autoclose.ts) and alerting on thresholds (alerts.ts).
 */
export * from './model.ts';
export { exceptionsFromImport } from './from-import.ts';
export { exceptionsFromReconcile, matchedIn, severityOf, unmatchedGroups, unmatchedGroupKey, groupedUnmatchedKey, DEFAULT_SEVERITY_THRESHOLDS, DEFAULT_GROUP_UNMATCHED_ABOVE, UNMATCHED_SIDES, type SeverityThresholds, type ReconcileExceptionOptions, type UnmatchedGroup, type UnmatchedSide } from './from-reconcile.ts';
export { autoclose, AUTO_CLOSABLE, SYSTEM_ACTOR, type AutocloseOutcome } from './autoclose.ts';
export { evaluateAlerts, AlertRules, type Alert, type AlertRulesInput } from './alerts.ts';
