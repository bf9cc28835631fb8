import { canonicalJson } from '../../../../core/canonical/json.ts';
import { diffRuns, type RunDiff, type RunResult, type Statement } from '../../../../core/settlement/index.ts';
import type { ApprovalEventDoc, StatementDoc } from '../../../../core/sync/documents.ts';

/**
 * The Settlements screen's reading of stored runs: a statement's text, the diff against the
 * previous run, and where it stands in maker-checker. The run itself happens in the settlement
 * worker (renderer/engine/settle-client.ts, settle.ts).
 */
/** The statement a stored document holds (its canonical JSON, verified by the desk on arrival). */
export function statementOf(doc: Pick<StatementDoc, 'canonicalJson'>): Statement {
  return JSON.parse(doc.canonicalJson) as Statement;
}

/** Differences against an earlier stored run of the same period (core/settlement/diff.ts). */
export function diffAgainst(previous: readonly StatementDoc[], previousRevision: number, current: RunResult): RunDiff {
  const before: RunResult = { ...current, revision: previousRevision, statements: previous.map(statementOf).sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1)), exceptions: [], blocked: [] };
  return diffRuns(before, current);
}

export type StatementStatus = 'draft' | 'blocked' | 'submitted' | 'approved' | 'rejected' | 'withdrawn';

/** A statement's place in maker-checker: its last approval event the server did not refuse, or draft / blocked. */
export function statusOf(doc: Pick<StatementDoc, 'blocked'>, events: readonly ApprovalEventDoc[], refusedIds: ReadonlySet<string> = new Set()): StatementStatus {
  const last = events.filter((event) => !refusedIds.has(event.id)).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).at(-1);
  if (last !== undefined) return last.action;
  return doc.blocked ? 'blocked' : 'draft';
}

/** The statement file as settle writes it ({"statement", "sha256"} in canonical JSON): what the host signs. */
export function statementDocumentJson(doc: Pick<StatementDoc, 'canonicalJson' | 'hash'>): string {
  return canonicalJson({ statement: JSON.parse(doc.canonicalJson) as unknown, sha256: doc.hash });
}
