import { isClosed, transition, type ExceptionRecord, type ExceptionType } from './model.ts';

/**
 * Exceptions close themselves when later data resolves them: the missing bank credit arrives,
 * the rate is loaded, the corrected file is imported. The rule is simple and total: the caller
 * recomputes what the current data raises (exceptionsFromReconcile, exceptionsFromImport, ...);
 * an open or investigating exception of an auto-closable type that is no longer raised is
 * resolved by 'system' with a recorded reason. Closed exceptions are never touched, and types
 * a person must judge (anomalies, threshold breaches, duplicates) are never auto-closed.
 */
export const AUTO_CLOSABLE: ReadonlySet<ExceptionType> = new Set(['unmatched', 'amount_mismatch', 'fx_rate_missing', 'import_rejected', 'unclassified', 'negative_balance']);

export const SYSTEM_ACTOR = 'system';

/** The reason recorded when the caller gives no specific one; a screen recognises it to say it in its language. */
export function genericAutocloseReason(type: ExceptionType): string {
  return `no longer raised by the current data (${type})`;
}

export interface AutocloseOutcome {
  readonly records: ExceptionRecord[];
  readonly closedIds: string[];
}

/**
 * @param existing the stored exceptions
 * @param stillRaised ids the current data raises
 * @param explain a specific reason for one record ("matched by amount-date in group ..."), or null for the generic one
 */
export function autoclose(existing: readonly ExceptionRecord[], stillRaised: ReadonlySet<string>, at: string, explain: (record: ExceptionRecord) => string | null = () => null): AutocloseOutcome {
  const closedIds: string[] = [];
  const records = existing.map((record) => {
    if (isClosed(record.status) || !AUTO_CLOSABLE.has(record.type) || stillRaised.has(record.id)) return record;
    closedIds.push(record.id);
    const reason = explain(record) ?? genericAutocloseReason(record.type);
    return transition(record, { to: 'resolved', by: SYSTEM_ACTOR, at, reason, auto: true });
  });
  return { records, closedIds };
}
