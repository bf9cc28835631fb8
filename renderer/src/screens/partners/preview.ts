import { Decimal } from '../../../../core/money/decimal.ts';
import type { AgreementVersion } from '../../../../core/settlement/agreement.ts';
import type { Period } from '../../../../core/settlement/base.ts';
import type { RateTable } from '../../../../core/settlement/fx.ts';
import { runSettlement, type SettlementException } from '../../../../core/settlement/run.ts';
import type { PartnerLedgerState } from '../../../../core/settlement/state.ts';
import type { Statement, StatementTotals } from '../../../../core/settlement/statement.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';

/**
 * "Preview on the last period": the period settled twice by core's engine for one partner, with
 * the agreement in force and with the edited one, and every number of the statement side by side
 * (each line's base, each group's base, platform fee and share, every total) with the exact
 * difference. Both agreements are applied to the whole period (their effective dates are set to
 * cover it), so the preview answers "what if these terms had applied to that period".
 */
export interface PreviewInput {
  readonly period: Period;
  readonly current: AgreementVersion;
  readonly edited: AgreementVersion;
  readonly transactions: readonly CanonicalTransaction[];
  readonly rates: RateTable;
  /** The partner's ledger state before the period (carry-in, advance balance), or null to start from each agreement's own. */
  readonly stateIn: PartnerLedgerState | null;
}

export interface PreviewSide {
  readonly statement: Statement | null;
  /** Why the engine produced no statement (fx_rate_missing, ...), with its facts for the screen's language. */
  readonly problem: SettlementException | null;
}

export type PreviewScope = 'line' | 'group' | 'total';

export interface PreviewRow {
  readonly id: string;
  readonly scope: PreviewScope;
  /** "default" or "product:<id>" (lines and groups). */
  readonly group: string | null;
  readonly productId: string | null;
  /** A line's transaction currency (its base is in the settlement currency). */
  readonly lineCurrency: string | null;
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
  /** after - before, exact; null when a side has no statement or the settlement currency changed. */
  readonly delta: string | null;
}

export interface Preview {
  readonly period: Period;
  readonly before: PreviewSide;
  readonly after: PreviewSide;
  readonly currencyBefore: string;
  readonly currencyAfter: string;
  readonly rows: readonly PreviewRow[];
}

function settleWith(agreement: AgreementVersion, input: PreviewInput): PreviewSide {
  const covering: AgreementVersion = { ...agreement, effectiveFrom: input.period.start, effectiveTo: null };
  const partnerId = agreement.partnerId;
  const result = runSettlement({
    period: input.period,
    partnerIds: [partnerId],
    agreements: [covering],
    transactions: input.transactions.filter((tx) => tx.partnerId === partnerId),
    rates: input.rates,
    ...(input.stateIn === null ? {} : { states: { [partnerId]: input.stateIn } }),
  });
  const statement = result.statements.find((each) => each.partnerId === partnerId) ?? null;
  const exception = result.exceptions.find((each) => each.partnerId === partnerId);
  return { statement, problem: statement !== null || exception === undefined ? null : exception };
}

interface Amounts {
  readonly scope: PreviewScope;
  readonly group: string | null;
  readonly productId: string | null;
  readonly lineCurrency: string | null;
  readonly field: string;
  readonly value: string;
}

/** Every number of a statement the preview compares, by a key stable across the two runs. */
function amountsOf(statement: Statement | null): Map<string, Amounts> {
  const out = new Map<string, Amounts>();
  if (statement === null) return out;
  for (const group of statement.groups) {
    for (const line of group.lines) {
      out.set(`line|${group.key}|${line.productId ?? ''}|${line.currency}|base`, { scope: 'line', group: group.key, productId: line.productId, lineCurrency: line.currency, field: 'base', value: line.base });
    }
    for (const field of ['base', 'platformFee', 'share'] as const) {
      out.set(`group|${group.key}|${field}`, { scope: 'group', group: group.key, productId: null, lineCurrency: null, field, value: group[field] });
    }
  }
  for (const [field, value] of Object.entries(statement.totals) as Array<[keyof StatementTotals, string]>) {
    out.set(`total|${field}`, { scope: 'total', group: null, productId: null, lineCurrency: null, field, value });
  }
  return out;
}

// What the analyst looks at first: the totals (the payable), then each group, then each line.
const SCOPE_ORDER: Readonly<Record<PreviewScope, number>> = { total: 0, group: 1, line: 2 };

export function previewAgreementChange(input: PreviewInput): Preview {
  if (input.current.partnerId !== input.edited.partnerId) throw new Error(`preview compares one partner's agreements, not ${input.current.partnerId} and ${input.edited.partnerId}`);
  const before = settleWith(input.current, input);
  const after = settleWith(input.edited, input);
  const a = amountsOf(before.statement);
  const b = amountsOf(after.statement);
  const comparable = before.statement !== null && after.statement !== null && input.current.settlementCurrency === input.edited.settlementCurrency;
  const rows: PreviewRow[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const ref = (b.get(key) ?? a.get(key)) as Amounts;
    // A line or group only one run has stands at zero in the other (a statement that exists has it at zero).
    const was = a.get(key)?.value ?? (before.statement === null ? null : '0');
    const now = b.get(key)?.value ?? (after.statement === null ? null : '0');
    const delta = comparable && was !== null && now !== null ? new Decimal(now).minus(was).toFixed() : null;
    // Totals that are zero on both sides (no cap, no advance) are left out, except the payable itself.
    if (ref.scope === 'total' && ref.field !== 'payable' && new Decimal(was ?? '0').isZero() && new Decimal(now ?? '0').isZero()) continue;
    rows.push({ id: key, scope: ref.scope, group: ref.group, productId: ref.productId, lineCurrency: ref.lineCurrency, field: ref.field, before: was, after: now, delta });
  }
  rows.sort((x, y) => SCOPE_ORDER[x.scope] - SCOPE_ORDER[y.scope] || (x.scope === 'total' ? 0 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { period: input.period, before, after, currencyBefore: input.current.settlementCurrency, currencyAfter: input.edited.settlementCurrency, rows };
}
