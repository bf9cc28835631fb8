import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import { periodDateOf } from '../../core/settlement/base.ts';
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
 * Import batches store columns (core/sync/batch.ts): one JSON array per field, kept as JSON text
 * (migration 011). A line's rows are found by reading each batch's text and parsing it here, once
 * per request: PostgreSQL only detoasts and sends it (~6 ms per 10,000-row batch), where turning
 * the text into jsonb to zip the arrays in SQL cost it ~60 ms per batch per query, and zipping the
 * stored jsonb before 011 ~25 ms per batch per query, run twice (count, then page).
 */
const TX_COLUMNS = [
  ['id', 'id'], ['kind', 'kind'], ['occurredAt', 'occurred_at'], ['bookingDate', 'booking_date'], ['valueDate', 'value_date'], ['amount', 'amount'], ['currency', 'currency'],
  ['productId', 'product_id'], ['channel', 'channel'], ['externalId', 'external_id'], ['counterpartyName', 'counterparty_name'], ['counterpartyAccount', 'counterparty_account'], ['customerRef', 'customer_ref'],
] as const;

type BatchColumnName = (typeof TX_COLUMNS)[number][0] | 'partnerId';
type BatchColumns = Record<BatchColumnName, readonly unknown[]>;

/** The columns of a stored batch that a line reads, each as long as the batch (values are checked per row sent: TxRow). */
function batchColumns(id: string, text: string): BatchColumns {
  const body = JSON.parse(text) as { rowCount?: unknown; columns?: Record<string, unknown> };
  const rows = body.rowCount;
  assert(typeof rows === 'number' && body.columns !== undefined, 'a stored import batch has its columns', { id });
  const columns = {} as Record<BatchColumnName, readonly unknown[]>;
  for (const name of ['partnerId', ...TX_COLUMNS.map(([column]) => column)] as const) {
    const column = body.columns[name];
    assert(Array.isArray(column) && column.length === rows, 'a stored import batch has every column for every row', { id, column: name });
    columns[name] = column;
  }
  return columns;
}

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
   * page at a time: the run's import batches in the run's order, rows of this partner only, with
   * the line's product and currency, inside the statement's period by core's periodDateOf, each
   * row in its batch's order. One batch is in memory at a time and only the page's rows are kept,
   * so a line of a million rows never is; every batch is read once per request (the total counts
   * them all). Null when the statement is not visible or has no such line.
   */
  async lineTransactions(id: string, line: number, page: { offset: number; limit: number }, pseudonymize: Pseudonymize): Promise<{ total: number; items: PartnerTransaction[] } | null> {
    assert(page.limit > 0 && page.limit <= TRANSACTIONS_PAGE_MAX && page.offset >= 0, 'a page is bounded', page);
    const visible = await this.statement(id);
    if (visible === null) return null;
    const target = flatLines(visible.statement)[line - 1];
    if (target === undefined) return null;
    const { rows: runs } = await this.db.query<{ ids: string[] }>("select array(select jsonb_array_elements_text(body->'inputBatchIds')) as ids from sync_documents where collection = 'settlement_runs' and id = $1", [visible.runId]);
    const { options, period } = visible.statement;
    let total = 0;
    const picked: TxRow[] = [];
    // A batch named twice by a run is still read once, where the run first names it.
    for (const batchId of new Set(runs[0]?.ids ?? [])) {
      const { rows } = await this.db.query<{ body_text: string }>("select body_text from sync_documents where collection = 'import_batches' and id = $1", [batchId]);
      const text = rows[0]?.body_text;
      if (text === undefined) continue; // counted below: a missing batch leaves the line short
      const columns = batchColumns(batchId, text);
      for (let row = 0; row < columns.id.length; row++) {
        if (columns.partnerId[row] !== this.partnerId || columns.currency[row] !== target.currency || (columns.productId[row] ?? null) !== target.productId) continue;
        const dated = { occurredAt: columns.occurredAt[row] as string, bookingDate: columns.bookingDate[row] as string | null, valueDate: columns.valueDate[row] as string | null };
        const date = periodDateOf(dated, options.lateTransactions, options.periodDate);
        if (date < period.start || date > period.end) continue;
        if (total >= page.offset && total < page.offset + page.limit) picked.push(TxRow.parse(Object.fromEntries(TX_COLUMNS.map(([column, field]) => [field, columns[column][row] ?? null]))));
        total += 1;
      }
    }
    // The engine counted exactly these rows; anything else means the stored inputs moved.
    assert(total === target.transactionCount, 'the transactions behind a line are the ones the statement counted', { id, line, found: total, counted: target.transactionCount });
    return { total, items: picked.map((row) => partnerTransaction(row, pseudonymize)) };
  }
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
