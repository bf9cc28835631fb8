import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import { diffStatements, type StatementDiff } from '../../core/settlement/diff.ts';
import type { Statement, StatementLine } from '../../core/settlement/statement.ts';
import type { Queryable } from '../db/types.ts';

/**
 * The partner-facing query layer. A scope is made for one partner id (from the caller's own row,
 * principal.ts) and every query it runs names that id in SQL as $1: a statement, an artifact or a
 * transaction of another partner is never read, so nothing needs filtering afterwards and a
 * guessed id finds nothing, exactly like an id that does not exist.
 *
 * Visible: statements whose latest approval event approves the statement's stored hash. Of one
 * period, the highest revision is current and the earlier approved ones are superseded.
 */
export interface PartnerStatementSummary {
  readonly id: string;
  readonly period: string;
  readonly revision: number;
  readonly sha256: string;
  readonly currency: string;
  readonly payable: string;
  readonly approvedAt: string;
  readonly status: 'current' | 'superseded';
  readonly supersededBy: string | null;
}

export interface PartnerStatement extends PartnerStatementSummary {
  readonly runId: string;
  readonly statement: Statement;
  /** From this version to the one that superseded it; null for the current one. */
  readonly diff: StatementDiff | null;
}

const APPROVED = `
  select s.id, s.period, s.hash, s.currency, s.payable::text as payable, (d.body->>'revision')::int as revision,
         d.body->>'runId' as run_id, a.at as approved_at
    from statements s
    join sync_documents d on d.collection = 'statements' and d.id = s.id and not d.deleted
    join lateral (
      select e.body->>'action' as action, e.body->>'statementHash' as hash, e.body->>'at' as at
        from sync_documents e
       where e.collection = 'approval_events' and e.body->>'statementId' = s.id
       order by e.seq desc limit 1
    ) a on a.action = 'approved' and a.hash = s.hash
   where s.partner_id = $1`;

const SummaryRow = z.object({ id: z.string(), period: z.string(), hash: z.string(), currency: z.string(), payable: z.string(), revision: z.number().int(), run_id: z.string(), approved_at: z.string() });
type SummaryRow = z.infer<typeof SummaryRow>;

export const TRANSACTIONS_PAGE_MAX = 500;

/** One transaction behind a line as a partner sees it: end-customer fields pseudonymized. */
export interface PartnerTransaction {
  readonly id: string;
  readonly kind: string;
  readonly occurredAt: string;
  readonly bookingDate: string | null;
  readonly valueDate: string | null;
  readonly amount: string;
  readonly currency: string;
  readonly productId: string | null;
  readonly channel: string | null;
  readonly externalId: string | null;
  readonly customer: string | null;
  readonly customerAccount: string | null;
  readonly customerRef: string | null;
}

/** Keyed pseudonym of an end-customer value (pseudonym.ts): the same value gives the same pseudonym within one partner. */
export type Pseudonymize = (field: string, value: string | null) => string | null;

const TxRow = z.object({
  id: z.string(),
  kind: z.string(),
  occurred_at: z.string(),
  booking_date: z.string().nullable(),
  value_date: z.string().nullable(),
  amount: z.string(),
  currency: z.string(),
  product_id: z.string().nullable(),
  channel: z.string().nullable(),
  external_id: z.string().nullable(),
  counterparty_name: z.string().nullable(),
  counterparty_account: z.string().nullable(),
  customer_ref: z.string().nullable(),
});
type TxRow = z.infer<typeof TxRow>;

/**
 * Import batches store columns (core/sync/batch.ts): one JSON array per field. ROWS FROM zips the
 * arrays back into rows, each array expanded once per batch. Picking a cell by position
 * (`body->'columns'->'amount'->>n`) instead reads the whole document again for every cell: a line of
 * 1,203 rows took 3.6 s a page that way.
 */
const TX_COLUMNS = [
  ['id', 'id'], ['kind', 'kind'], ['occurredAt', 'occurred_at'], ['bookingDate', 'booking_date'], ['valueDate', 'value_date'], ['amount', 'amount'], ['currency', 'currency'],
  ['productId', 'product_id'], ['channel', 'channel'], ['externalId', 'external_id'], ['counterpartyName', 'counterparty_name'], ['counterpartyAccount', 'counterparty_account'], ['customerRef', 'customer_ref'],
] as const;

function summaries(rows: readonly SummaryRow[]): PartnerStatementSummary[] {
  // Per period, by revision then approval time: each one is superseded by the next.
  const ordered = [...rows].sort((a, b) => a.period.localeCompare(b.period) || a.revision - b.revision || a.approved_at.localeCompare(b.approved_at) || a.id.localeCompare(b.id));
  return ordered.map((row, index) => {
    const next = ordered[index + 1];
    const supersededBy = next !== undefined && next.period === row.period ? next.id : null;
    return { id: row.id, period: row.period, revision: row.revision, sha256: row.hash, currency: row.currency, payable: row.payable, approvedAt: row.approved_at, status: supersededBy === null ? 'current' : 'superseded', supersededBy };
  });
}

function flatLines(statement: Statement): StatementLine[] {
  return statement.groups.flatMap((group) => group.lines);
}

export class PartnerScope {
  constructor(
    private readonly db: Queryable,
    readonly partnerId: string,
  ) {
    assert(partnerId.length > 0, 'a partner scope names a partner');
  }

  async statements(period: string | null): Promise<PartnerStatementSummary[]> {
    const { rows } = await this.db.query(`${APPROVED} and ($2::text is null or s.period = $2)`, [this.partnerId, period]);
    return summaries(rows.map((row) => SummaryRow.parse(row)));
  }

  /** The statement with its canonical document and, when superseded, the diff to its successor; null when not visible. */
  async statement(id: string): Promise<PartnerStatement | null> {
    const { rows } = await this.db.query(`${APPROVED} and s.period = (select period from statements where id = $2 and partner_id = $1)`, [this.partnerId, id]);
    const parsed = rows.map((row) => SummaryRow.parse(row));
    const summary = summaries(parsed).find((each) => each.id === id);
    if (summary === undefined) return null;
    const statement = await this.statementBody(id);
    const successor = summary.supersededBy === null ? null : await this.statementBody(summary.supersededBy);
    const runId = parsed.find((row) => row.id === id)?.run_id;
    assert(runId !== undefined, 'a visible statement has its run', { id });
    return { ...summary, runId, statement, diff: successor === null ? null : diffStatements(this.partnerId, statement, successor) };
  }

  private async statementBody(id: string): Promise<Statement> {
    const { rows } = await this.db.query<{ text: string }>("select d.body->>'canonicalJson' as text from sync_documents d join statements s on s.id = d.id where s.partner_id = $1 and d.collection = 'statements' and d.id = $2", [this.partnerId, id]);
    const text = rows[0]?.text;
    assert(text !== undefined, 'a visible statement has its document', { id });
    const statement = JSON.parse(text) as Statement;
    assert(statement.partnerId === this.partnerId, 'a scoped statement is the partner’s own', { id });
    return statement;
  }

  /** The stored signed files of a visible statement; null when the statement is not visible. */
  async artifacts(id: string): Promise<{ jws: string | null; pdf: Buffer | null } | null> {
    const { rows } = await this.db.query<{ jws: string | null; pdf: Uint8Array | null }>(`with visible as (${APPROVED} and s.id = $2) select a.jws, a.pdf from visible v left join statement_artifacts a on a.statement_id = v.id`, [this.partnerId, id]);
    const row = rows[0];
    if (row === undefined) return null;
    return { jws: row.jws, pdf: row.pdf === null ? null : Buffer.from(row.pdf) };
  }

  /**
   * The transactions behind line `line` (1-based, in statement order) of a visible statement, a
   * page at a time: the run's import batches, rows of this partner only, with the line's product
   * and currency, inside the statement's period by the agreement's period date (core's
   * periodDateOf, written in SQL by periodDateSql), counted and paged in SQL (LIMIT/OFFSET over
   * the batches' order and each row's position), so a line of a million rows never comes into
   * memory; each batch's column arrays are expanded once per query (TX_COLUMNS), not once per cell.
   * Null when the statement is not visible or has no such line.
   */
  async lineTransactions(id: string, line: number, page: { offset: number; limit: number }, pseudonymize: Pseudonymize): Promise<{ total: number; items: PartnerTransaction[] } | null> {
    assert(page.limit > 0 && page.limit <= TRANSACTIONS_PAGE_MAX && page.offset >= 0, 'a page is bounded', page);
    const visible = await this.statement(id);
    if (visible === null) return null;
    const target = flatLines(visible.statement)[line - 1];
    if (target === undefined) return null;
    const { rows: runs } = await this.db.query<{ ids: string[] }>("select array(select jsonb_array_elements_text(body->'inputBatchIds')) as ids from sync_documents where collection = 'settlement_runs' and id = $1", [visible.runId]);
    const batchIds = runs[0]?.ids ?? [];
    const { options, period } = visible.statement;
    const zipped = [['partnerId', 'partner_id'], ...TX_COLUMNS] as const;
    const behind = `
      with behind as (
        select array_position($2::text[], d.id) as batch_index, r.*
          from sync_documents d
         -- A batch body is JSON text (migration 011): parsed once per batch (offset 0 keeps the planner from repeating it per column).
         cross join lateral (select d.body_text::jsonb->'columns' as columns offset 0) b
         cross join lateral rows from (${zipped.map(([column]) => `jsonb_array_elements_text(b.columns->'${column}')`).join(', ')})
               with ordinality as r(${zipped.map(([, alias]) => alias).join(', ')}, ord)
         where d.collection = 'import_batches' and d.id = any($2::text[]))
      select %s from behind
       where partner_id = $1 and currency = $3 and product_id is not distinct from $4
         and ${periodDateSql(options.lateTransactions, options.periodDate)} between $5 and $6`;
    const params = [this.partnerId, batchIds, target.currency, target.productId, period.start, period.end];
    const { rows: counted } = await this.db.query<{ total: string | number }>(behind.replace('%s', 'count(*) as total'), params);
    const total = Number(counted[0]?.total ?? 0);
    // The engine counted exactly these rows; anything else means the stored inputs moved.
    assert(total === target.transactionCount, 'the transactions behind a line are the ones the statement counted', { id, line, found: total, counted: target.transactionCount });
    const { rows } = await this.db.query(`${behind.replace('%s', TX_COLUMNS.map(([, alias]) => alias).join(', '))} order by batch_index, ord limit $7 offset $8`, [...params, page.limit, page.offset]);
    return { total, items: rows.map((row) => partnerTransaction(TxRow.parse(row), pseudonymize)) };
  }
}

/** core's periodDateOf (settlement/base.ts) in SQL over the columns above: the date that places a row in the period. */
export function periodDateSql(lateTransactions: 'open-period' | 'restate', field: 'booking' | 'value' | 'event'): string {
  const occurred = 'left(occurred_at, 10)';
  if (lateTransactions === 'restate') return occurred;
  if (field === 'booking') return `coalesce(booking_date, ${occurred})`;
  if (field === 'value') return `coalesce(value_date, ${occurred})`;
  return occurred;
}

function partnerTransaction(row: TxRow, pseudonymize: Pseudonymize): PartnerTransaction {
  return {
    id: row.id,
    kind: row.kind,
    occurredAt: row.occurred_at,
    bookingDate: row.booking_date,
    valueDate: row.value_date,
    amount: row.amount,
    currency: row.currency,
    productId: row.product_id,
    channel: row.channel,
    externalId: row.external_id,
    customer: pseudonymize('counterpartyName', row.counterparty_name),
    customerAccount: pseudonymize('counterpartyAccount', row.counterparty_account),
    customerRef: pseudonymize('customerRef', row.customer_ref),
  };
}
