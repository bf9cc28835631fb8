import { Decimal } from '../money/decimal.ts';
import type { RunResult } from './run.ts';
import { statementHash } from './run.ts';
import type { Statement, StatementTotals } from './statement.ts';

/**
 * What changed between two runs of a period (a re-run after late transactions, a restatement):
 * per partner, the totals and the statement lines that moved, with exact deltas.
 */
export interface AmountChange {
  readonly field: string;
  readonly previous: string;
  readonly current: string;
  readonly delta: string;
}

export interface LineChange {
  readonly productId: string | null;
  readonly currency: string;
  readonly previousBase: string;
  readonly currentBase: string;
  readonly delta: string;
  readonly previousCount: number;
  readonly currentCount: number;
}

export interface StatementDiff {
  readonly partnerId: string;
  readonly change: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly previousHash: string | null;
  readonly currentHash: string | null;
  readonly totals: readonly AmountChange[];
  readonly lines: readonly LineChange[];
}

export interface RunDiff {
  readonly period: { readonly start: string; readonly end: string };
  readonly previousRevision: number;
  readonly currentRevision: number;
  readonly partners: readonly StatementDiff[];
}

function delta(previous: string, current: string): string {
  return new Decimal(current).minus(previous).toFixed();
}

function totalsChanges(previous: StatementTotals | null, current: StatementTotals | null): AmountChange[] {
  const fields = Object.keys(previous ?? current ?? {}).sort() as Array<keyof StatementTotals>;
  const changes: AmountChange[] = [];
  for (const field of fields) {
    const before = previous?.[field] ?? '0';
    const after = current?.[field] ?? '0';
    if (!new Decimal(before).equals(after)) changes.push({ field, previous: before, current: after, delta: delta(before, after) });
  }
  return changes;
}

interface FlatLine {
  readonly productId: string | null;
  readonly currency: string;
  readonly base: string;
  readonly count: number;
}

function flatLines(statement: Statement | null): Map<string, FlatLine> {
  const lines = new Map<string, FlatLine>();
  for (const group of statement?.groups ?? []) {
    for (const line of group.lines) lines.set(JSON.stringify([line.productId, line.currency]), { productId: line.productId, currency: line.currency, base: line.base, count: line.transactionCount });
  }
  return lines;
}

function lineChanges(previous: Statement | null, current: Statement | null): LineChange[] {
  const before = flatLines(previous);
  const after = flatLines(current);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: LineChange[] = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    const ref = (b ?? a) as FlatLine;
    const previousBase = a?.base ?? '0';
    const currentBase = b?.base ?? '0';
    if (new Decimal(previousBase).equals(currentBase) && (a?.count ?? 0) === (b?.count ?? 0)) continue;
    changes.push({ productId: ref.productId, currency: ref.currency, previousBase, currentBase, delta: delta(previousBase, currentBase), previousCount: a?.count ?? 0, currentCount: b?.count ?? 0 });
  }
  return changes;
}

/** One partner's statement against its earlier version (a revision shown to the partner, or a re-run). */
export function diffStatements(partnerId: string, a: Statement | null, b: Statement | null): StatementDiff {
  const previousHash = a === null ? null : statementHash(a);
  const currentHash = b === null ? null : statementHash(b);
  const totals = totalsChanges(a?.totals ?? null, b?.totals ?? null);
  const lines = lineChanges(a, b);
  const change = a === null ? 'added' : b === null ? 'removed' : totals.length > 0 || lines.length > 0 ? 'changed' : 'unchanged';
  return { partnerId, change, previousHash, currentHash, totals, lines };
}

export function diffRuns(previous: RunResult, current: RunResult): RunDiff {
  const before = new Map(previous.statements.map((s) => [s.partnerId, s]));
  const after = new Map(current.statements.map((s) => [s.partnerId, s]));
  const partnerIds = [...new Set([...before.keys(), ...after.keys()])].sort();
  const partners = partnerIds.map((partnerId) => diffStatements(partnerId, before.get(partnerId) ?? null, after.get(partnerId) ?? null));
  return { period: current.period, previousRevision: previous.revision, currentRevision: current.revision, partners };
}
