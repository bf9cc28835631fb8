import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import { canonicalJson } from '../../core/canonical/json.ts';
import { ExceptionDoc } from '../../core/sync/documents.ts';
import type { PARTNER_WEBHOOK_EVENTS } from '../../core/sync/partner-api.ts';
import type { Db, Queryable } from '../db/types.ts';
import { startBackgroundLoop, type BackgroundLoopOptions } from './background-loop.ts';
import { answerOf } from './queries.ts';
import { PartnerScope } from './scope.ts';
import { openWebhookSecret } from './webhook-secrets.ts';
import { signatureHeader } from './webhook-signature.ts';
import { pinWebhookTarget, WEBHOOK_TARGET_POLICY_DEFAULT, WebhookTargetError, type WebhookTargetPolicy } from './webhook-target.ts';
import { postToPinnedTarget } from './webhook-transport.ts';

/**
 * Outgoing webhooks. Events are found by reading the replicated documents after a cursor
 * (approvals of statements, partner-query exceptions closed on the desk), so no write path has
 * to know about webhooks; each becomes one queued delivery per subscribed webhook. A worker loop
 * (startWebhookWorker) sends due deliveries with a timeout and retries failures with exponential
 * backoff and jitter; requests never wait on it, so a receiver that is down slows nothing but its
 * own queue. webhook_deliveries with webhook_attempts is the delivery log.
 */
// The event list is core's (core/sync/partner-api.ts): the admin route checks requests with it and the desk offers it.
type WebhookEvent = (typeof PARTNER_WEBHOOK_EVENTS)[number];

export interface DeliveryPolicy {
  readonly attemptsMax: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
  /** Deliveries claimed per round; a claimed one is leased for timeoutMs x 2 so another process skips it. */
  readonly batchMax: number;
  /** Consecutive failed deliveries (each after all its attempts) that switch a webhook off. */
  readonly failedDeliveriesMax: number;
}

export const DELIVERY_POLICY_DEFAULT: DeliveryPolicy = { attemptsMax: 8, baseDelayMs: 10_000, maxDelayMs: 3_600_000, timeoutMs: 10_000, batchMax: 50, failedDeliveriesMax: 5 };
const SCAN_DOCUMENTS_MAX = 500;
const CURSOR = 'webhooks';

/** Delay before retry number `attempt` (1 = the first retry): base x 2^(attempt-1), capped, then "equal jitter" (half fixed, half random). */
export function retryDelayMs(attempt: number, policy: Pick<DeliveryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  assert(attempt >= 1, 'retries count from 1', { attempt });
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(capped / 2 + random() * (capped / 2));
}

const Doc = z.object({ collection: z.string(), id: z.string(), seq: z.string(), body: z.record(z.string(), z.unknown()) });
const Hook = z.object({ id: z.string(), events: z.array(z.string()) });

function eventId(type: WebhookEvent, subject: string): string {
  return `evt_${createHash('sha256').update(`${type}\u001f${subject}`, 'utf8').digest('hex').slice(0, 32)}`;
}

async function enqueue(tx: Queryable, partnerId: string, type: WebhookEvent, subject: string, data: Record<string, unknown>, at: string): Promise<void> {
  const { rows } = await tx.query('select id, events from partner_webhooks where partner_id = $1 and active order by id', [partnerId]);
  const id = eventId(type, subject);
  const body = canonicalJson({ id, type, createdAt: at, partnerId, data });
  for (const hook of rows.map((row) => Hook.parse(row)).filter((each) => each.events.includes(type))) {
    await tx.query(
      `insert into webhook_deliveries (id, webhook_id, partner_id, event_type, event_id, body, status, next_attempt_at, created_at)
       values ($1, $2, $3, $4, $5, $6, 'pending', $7, $7) on conflict (webhook_id, event_id) do nothing`,
      [`dlv_${randomBytes(12).toString('hex')}`, hook.id, partnerId, type, id, body, at],
    );
  }
}

/**
 * When the server signs approved statements itself, a statement.approved event waits (the scan
 * stops before it) until its signed files are stored, so a receiver that fetches the PDF at once
 * finds it; after holdMs it goes out anyway (a statement that cannot be signed holds nothing up
 * for long).
 */
export interface ScanOptions {
  readonly waitForSignedFiles?: { readonly holdMs: number };
}

async function waitsForSignedFiles(tx: Queryable, doc: z.infer<typeof Doc>, at: string, options: ScanOptions): Promise<boolean> {
  const hold = options.waitForSignedFiles;
  if (hold === undefined || doc.body.action !== 'approved' || typeof doc.body.statementId !== 'string' || typeof doc.body.at !== 'string') return false;
  if (Date.parse(at) - Date.parse(doc.body.at) >= hold.holdMs) return false;
  // Only a statement the server will sign is waited for: still approved (its latest event approves its hash) and without files.
  const { rows } = await tx.query(
    `select 1 from statements s
      where s.id = $1 and not exists (select 1 from statement_artifacts a where a.statement_id = s.id)
        and (select e.body->>'action' = 'approved' and e.body->>'statementHash' = s.hash from sync_documents e
              where e.collection = 'approval_events' and e.body->>'statementId' = s.id order by e.seq desc limit 1)`,
    [doc.body.statementId],
  );
  return rows[0] !== undefined;
}

async function approvalEvents(tx: Queryable, doc: z.infer<typeof Doc>, at: string): Promise<void> {
  if (doc.body.action !== 'approved' || typeof doc.body.statementId !== 'string') return;
  const { rows } = await tx.query<{ partner_id: string; period: string }>('select partner_id, period from statements where id = $1', [doc.body.statementId]);
  const statement = rows[0];
  if (statement === undefined) return;
  const scope = new PartnerScope(tx, statement.partner_id);
  const versions = await scope.statements(statement.period);
  const index = versions.findIndex((each) => each.id === doc.body.statementId);
  const approved = versions[index];
  if (approved === undefined) return;
  await enqueue(tx, statement.partner_id, 'statement.approved', approved.id, { statement: approved }, at);
  const previous = versions[index - 1];
  if (previous !== undefined) {
    const earlier = await scope.statement(previous.id);
    await enqueue(tx, statement.partner_id, 'statement.revised', approved.id, { statement: approved, supersedes: previous.id, diff: earlier?.diff ?? null }, at);
  }
}

async function answerEvents(tx: Queryable, doc: z.infer<typeof Doc>, at: string): Promise<void> {
  if (doc.body.type !== 'partner-query') return;
  const answer = answerOf(ExceptionDoc.parse(doc.body));
  if (answer === null) return;
  const { rows } = await tx.query<{ id: string; partner_id: string; statement_id: string; line: number }>(
    'update partner_queries set answered_seq = $2 where exception_id = $1 and answered_seq is null returning id, partner_id, statement_id, line',
    [doc.id, doc.seq],
  );
  const query = rows[0];
  if (query === undefined) return;
  await enqueue(tx, query.partner_id, 'query.answered', query.id, { query: { id: query.id, statementId: query.statement_id, line: query.line, answer } }, at);
}

/** Reads the documents written since the last scan and queues their webhook events; returns how many documents it read. */
export async function scanWebhookEvents(db: Db, at: string, options: ScanOptions = {}): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('insert into partner_event_cursor (name, seq) values ($1, 0) on conflict (name) do nothing', [CURSOR]);
    const { rows: cursor } = await tx.query<{ seq: string }>('select seq::text as seq from partner_event_cursor where name = $1 for update', [CURSOR]);
    const { rows } = await tx.query(
      "select collection, id, seq::text as seq, body from sync_documents where collection in ('approval_events', 'exceptions') and seq > $1 order by seq limit $2",
      [cursor[0]?.seq ?? '0', SCAN_DOCUMENTS_MAX],
    );
    const docs: Array<z.infer<typeof Doc>> = [];
    for (const doc of rows.map((row) => Doc.parse(row))) {
      // Events keep their order: what comes after a held approval waits with it.
      if (await waitsForSignedFiles(tx, doc, at, options)) break;
      if (doc.collection === 'approval_events') await approvalEvents(tx, doc, at);
      else await answerEvents(tx, doc, at);
      docs.push(doc);
    }
    const last = docs.at(-1);
    if (last !== undefined) await tx.query('update partner_event_cursor set seq = $2 where name = $1', [CURSOR, last.seq]);
    return docs.length;
  });
}

export interface DeliveryDeps {
  readonly nowMs: () => number;
  readonly random: () => number;
  readonly policy: DeliveryPolicy;
  /** Which targets may be reached (SSRF); private ones are refused unless this allows them. */
  readonly targets?: WebhookTargetPolicy;
  /** The key the webhook secrets are sealed with (webhook-secrets.ts); null or absent: stored in clear. */
  readonly webhookKey?: Buffer | null;
}

const Due = z.object({ id: z.string(), webhook_id: z.string(), body: z.string(), attempts: z.number().int(), event_type: z.string(), url: z.string(), secret: z.string() });

/** Sends every delivery that is due now (at most policy.batchMax); returns how many were attempted. */
export async function deliverDue(db: Db, deps: DeliveryDeps): Promise<number> {
  const now = deps.nowMs();
  const { rows } = await db.query(
    `update webhook_deliveries d set next_attempt_at = $2
       from partner_webhooks w
      where d.id in (select q.id from webhook_deliveries q join partner_webhooks h on h.id = q.webhook_id and h.active
                      where q.status = 'pending' and q.next_attempt_at <= $1 order by q.next_attempt_at, q.id limit $3 for update of q skip locked)
        and w.id = d.webhook_id
      returning d.id, d.webhook_id, d.body, d.attempts, d.event_type, w.url, w.secret`,
    [new Date(now).toISOString(), new Date(now + deps.policy.timeoutMs * 2).toISOString(), deps.policy.batchMax],
  );
  for (const due of rows.map((row) => Due.parse(row))) await deliverOne(db, due, deps);
  return rows.length;
}

async function deliverOne(db: Db, due: z.infer<typeof Due>, deps: DeliveryDeps): Promise<void> {
  const startedMs = deps.nowMs();
  let statusCode: number | null = null;
  let error: string | null = null;
  let refused = false;
  try {
    // Checked again at each delivery (the name may resolve elsewhere now than when the webhook was
    // made), and the connection goes to the very address checked, never to a second resolution.
    const target = await pinWebhookTarget(due.url, deps.targets ?? WEBHOOK_TARGET_POLICY_DEFAULT);
    const secret = openWebhookSecret(deps.webhookKey ?? null, due.webhook_id, due.secret);
    const headers = { 'content-type': 'application/json', 'settledesk-signature': signatureHeader(secret, Math.floor(startedMs / 1000), due.body), 'settledesk-event': due.event_type, 'settledesk-delivery': due.id };
    statusCode = await postToPinnedTarget(target, { headers, body: due.body, timeoutMs: deps.policy.timeoutMs });
  } catch (failure) {
    refused = failure instanceof WebhookTargetError;
    error = refused ? `target refused: ${(failure as Error).message}` : (failure as Error).message;
  }
  const attempt = due.attempts + 1;
  const doneMs = deps.nowMs();
  const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
  // A refused target fails at once: retrying cannot make a private address public.
  const status = delivered ? 'delivered' : refused || attempt >= deps.policy.attemptsMax ? 'failed' : 'pending';
  const nextMs = status === 'pending' ? doneMs + retryDelayMs(attempt, deps.policy, deps.random) : doneMs;
  await db.transaction(async (tx) => {
    await tx.query('insert into webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) values ($1, $2, $3, $4, $5, $6)', [due.id, attempt, new Date(startedMs).toISOString(), statusCode, error?.slice(0, 500) ?? null, Math.max(0, doneMs - startedMs)]);
    await tx.query('update webhook_deliveries set attempts = $2, status = $3, next_attempt_at = $4, delivered_at = $5 where id = $1', [due.id, attempt, status, new Date(nextMs).toISOString(), delivered ? new Date(doneMs).toISOString() : null]);
    if (status !== 'pending') await recordHealth(tx, due.webhook_id, status === 'delivered', deps.policy.failedDeliveriesMax, new Date(doneMs).toISOString());
  });
}

/**
 * A delivered event resets the webhook's count of consecutive failed deliveries; a failed one adds
 * to it, and at failedDeliveriesMax the webhook is switched off (its queued deliveries wait; the
 * delivery log says when and why) until an admin switches it on again.
 */
async function recordHealth(tx: Queryable, webhookId: string, delivered: boolean, failedDeliveriesMax: number, at: string): Promise<void> {
  if (delivered) {
    await tx.query('update partner_webhooks set consecutive_failures = 0 where id = $1', [webhookId]);
    return;
  }
  await tx.query(
    `update partner_webhooks set consecutive_failures = consecutive_failures + 1,
            active = active and consecutive_failures + 1 < $2,
            deactivated_at = case when active and consecutive_failures + 1 >= $2 then $3::timestamptz else deactivated_at end,
            deactivated_reason = case when active and consecutive_failures + 1 >= $2 then $4 else deactivated_reason end
      where id = $1`,
    [webhookId, failedDeliveriesMax, at, `${failedDeliveriesMax} consecutive deliveries failed`],
  );
}

export interface WebhookWorkerOptions extends DeliveryDeps, BackgroundLoopOptions {
  readonly scan?: ScanOptions;
}

/** The background loop: scan, deliver, sleep; stop() ends it after the current round. */
export function startWebhookWorker(db: Db, options: WebhookWorkerOptions): { stop: () => Promise<void> } {
  return startBackgroundLoop(async () => {
    await scanWebhookEvents(db, new Date(options.nowMs()).toISOString(), options.scan);
    await deliverDue(db, options);
  }, options);
}
