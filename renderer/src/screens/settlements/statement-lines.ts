import { periodDateOf } from '../../../../core/settlement/base.ts';
import type { FxUse } from '../../../../core/settlement/base.ts';
import type { Statement, StatementGroup, StatementLine } from '../../../../core/settlement/statement.ts';
import type { CanonicalTransaction, TransactionKind } from '../../../../core/transactions/schema.ts';

/**
 * A statement's lines as the preview grid shows them, how each was computed (from the
 * statement's own data: counts and sums per kind, the FX rates used, the rounding, the group's
 * rule), and the transactions behind a line for the drill-down.
 */
export interface StatementLineRow {
  readonly key: string;
  readonly group: StatementGroup;
  readonly line: StatementLine;
  readonly settlementCurrency: string;
}

export function lineRowsOf(statement: Statement): StatementLineRow[] {
  return statement.groups.flatMap((group) =>
    group.lines.map((line) => ({ key: `${group.key}|${line.productId ?? ''}|${line.currency}`, group, line, settlementCurrency: statement.settlementCurrency })),
  );
}

export interface ExplanationPart {
  readonly kind: 'kinds' | 'fx' | 'rounding' | 'rule';
  readonly text: string;
}

/** The rates a line was converted at: core records a same-currency line's identity quote (1) too, which converts nothing. */
export function conversionsOf(line: StatementLine): readonly FxUse[] {
  return line.fx.filter((use) => use.quote.from !== use.quote.to);
}

/** The words a line's explanation needs in the analyst's language: the group's rule, and "1 sale" (adjustment-note's lineWords). */
export interface LineWords {
  readonly rule: (rule: string) => string;
  readonly kindCount: (kind: TransactionKind, count: number) => string;
}

/** One line's summary for the grid: kinds, how many rates converted it, rounding and rule (said in `words`). */
export function lineSummary(row: StatementLineRow, words: LineWords): string {
  const parts = lineExplanation(row, words);
  const fx = parts.filter((part) => part.kind === 'fx').length;
  return parts
    .filter((part) => part.kind !== 'fx')
    .map((part) => part.text)
    .concat(fx === 0 ? [] : [`FX × ${fx}`])
    .join(' | ');
}

/** "49 sale +534.51 EUR · 1 refund -9.99 EUR", the FX derivations used, rounding and the group's rule. */
export function lineExplanation(row: StatementLineRow, words: LineWords): ExplanationPart[] {
  const { line, group } = row;
  const parts: ExplanationPart[] = [{ kind: 'kinds', text: line.kinds.map((kind) => `${words.kindCount(kind.kind, kind.count)} ${kind.sourceAmount.startsWith('-') ? '' : '+'}${kind.sourceAmount} ${line.currency} (×${kind.weight})`).join(' · ') }];
  for (const use of conversionsOf(line)) parts.push({ kind: 'fx', text: `${use.sourceBase} ${line.currency} × ${use.quote.rate} = ${use.quote.derivation}` });
  // 'exact' is core's word for a base that rounding did not change ("100" and "100.00" are one amount).
  if (line.rounding !== 'exact') parts.push({ kind: 'rounding', text: `${line.baseExact} → ${line.base} ${row.settlementCurrency} (${line.rounding})` });
  parts.push({ kind: 'rule', text: words.rule(group.rule) });
  return parts;
}

/**
 * The transactions a line counted: the partner's, in the line's product and currency, of a kind
 * the line lists, placed in the period by the agreement's own date rule (core's periodDateOf).
 */
export function transactionsBehind(statement: Statement, line: StatementLine, transactions: readonly CanonicalTransaction[]): CanonicalTransaction[] {
  const kinds = new Set(line.kinds.map((kind) => kind.kind));
  const { start, end } = statement.period;
  return transactions.filter((tx) => {
    if (tx.partnerId !== statement.partnerId || tx.currency !== line.currency || !kinds.has(tx.kind)) return false;
    if (line.productId !== null && tx.productId !== line.productId) return false;
    const date = periodDateOf(tx, statement.options.lateTransactions, statement.options.periodDate);
    return date >= start && date <= end;
  });
}
