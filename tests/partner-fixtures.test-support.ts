import { rateTable } from '../core/settlement/fx.ts';
import { runSettlement } from '../core/settlement/run.ts';
import { agreementOf, canonicalTx, JANUARY } from '../core/settlement/testkit.ts';
import { packBatch, unpackBatch, type ImportBatchDoc } from '../core/sync/batch.ts';
import type { AgreementVersionDoc, SettlementRunDoc, StatementDoc } from '../core/sync/documents.ts';
import { statementDocOf } from '../core/sync/statement-doc.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';
import type { Db } from '../server/db/types.ts';
import { bearer, startTestApp, type TestApp } from '../server/test-app.test-support.ts';
import type { ServerOptions } from '../server/app.ts';
import type { LightMyRequestResponse } from 'fastify';

/**
 * Test support (no production caller): two partners, A and B, as the partner tests need them.
 * January's transactions of both sit in one import batch, so scoping must pick rows, not batches:
 *   A: sales 100.00 (Kim Min-jun) and 50.00 (Lee Ji-eun) of "game" -> 70 % of 150.00 = 105.00;
 *      revision 2 adds a late sale of 20.00 (Kim Min-jun again) -> 70 % of 170.00 = 119.00.
 *   B: one sale of 80.00 (Park Seo-yeon) -> 70 % of 80.00 = 56.00.
 * A's February statement is submitted but never approved (invisible to A).
 */
export const AT = '2026-03-01T09:00:00Z';
export const USERS = { ana: 'analyst', cy: 'approver', root: 'admin' } as const;

interface Sale {
  readonly id: string;
  readonly partnerId: string;
  readonly amount: string;
  readonly occurredAt: string;
  readonly customer: string;
  readonly account: string;
}

function sale(each: Sale): CanonicalTransaction {
  return { ...canonicalTx({ id: each.id, partnerId: each.partnerId, kind: 'sale', amount: each.amount, currency: 'EUR', occurredAt: each.occurredAt, productId: 'game' }), counterparty: { name: each.customer, account: each.account }, customerRef: `ref-${each.customer}` };
}

export const JANUARY_SALES: readonly Sale[] = [
  { id: 'a1', partnerId: 'A', amount: '100.00', occurredAt: '2026-01-05', customer: 'Kim Min-jun', account: 'DE02100100109307118603' },
  { id: 'b1', partnerId: 'B', amount: '80.00', occurredAt: '2026-01-06', customer: 'Park Seo-yeon', account: 'DE02120300000000202051' },
  { id: 'a2', partnerId: 'A', amount: '50.00', occurredAt: '2026-01-07', customer: 'Lee Ji-eun', account: 'DE02500105170137075030' },
];

export interface Run {
  readonly docs: ReadonlyArray<readonly [string, object]>;
  readonly statement: StatementDoc;
}

export function agreementFor(partnerId: string): AgreementVersionDoc {
  const [version] = agreementOf({ share: { rate: '70' } }, { agreementId: `AG-${partnerId}`, partnerId });
  if (version === undefined) throw new Error('agreementOf gave no version');
  return { id: `${version.agreementId}@${version.version}`, agreement: version, createdBy: 'ana', createdAt: AT };
}

/** One partner's run over the given batches, as a desk would replicate it. */
export function partnerRun(partnerId: string, runId: string, revision: number, batches: readonly ImportBatchDoc[], period: { start: string; end: string } = JANUARY): Run {
  const agreement = agreementFor(partnerId);
  const inputs = { period: { ...period }, paymentDate: null, partnerIds: [partnerId], rates: { source: 'ECB', base: 'EUR', quotes: {} }, statesIn: {} };
  const computed = runSettlement({ period, revision, paymentDate: null, partnerIds: [partnerId], agreements: [agreement.agreement], transactions: batches.flatMap((batch) => unpackBatch(batch)), rates: rateTable({}, 'ECB', 'EUR') });
  const first = computed.statements[0];
  if (first === undefined) throw new Error(`no statement for ${partnerId}`);
  const statement = statementDocOf(first, { id: `st_${runId}`, runId, blockReasons: [], createdBy: 'ana', createdAt: AT });
  const run: SettlementRunDoc = { id: runId, period: period.start.slice(0, 7), revision, inputs, inputsHash: batches[0]?.contentHash ?? '0'.repeat(64), inputBatchIds: batches.map((batch) => batch.id), agreementVersionIds: [agreement.id], statementIds: [statement.id], exceptionCount: 0, createdBy: 'ana', createdAt: AT };
  return { docs: [['agreement_versions', agreement], ...batches.map((batch) => ['import_batches', batch] as const), ['settlement_runs', run], ['statements', statement]], statement };
}

export const JANUARY_BATCH = packBatch('imp_jan', 0, JANUARY_SALES.map(sale));
export const LATE_BATCH = packBatch('imp_jan_late', 0, [sale({ id: 'a3', partnerId: 'A', amount: '20.00', occurredAt: '2026-01-20', customer: 'Kim Min-jun', account: 'DE02100100109307118603' })]);
export const FEBRUARY_BATCH = packBatch('imp_feb', 0, [sale({ id: 'a4', partnerId: 'A', amount: '10.00', occurredAt: '2026-02-03', customer: 'Choi Yu-na', account: 'DE02300209000106531065' })]);

/** The runs of the two partners, for tests to approve at the moment they choose. */
export const RUNS = {
  a1: () => partnerRun('A', 'run_jan_A', 1, [JANUARY_BATCH]),
  b1: () => partnerRun('B', 'run_jan_B', 1, [JANUARY_BATCH]),
  a2: () => partnerRun('A', 'run_jan_A_r2', 2, [JANUARY_BATCH, LATE_BATCH]),
  aFeb: () => partnerRun('A', 'run_feb_A', 1, [FEBRUARY_BATCH], { start: '2026-02-01', end: '2026-02-28' }),
};

export interface PartnerWorld {
  readonly t: TestApp;
  readonly a1: StatementDoc;
  readonly a2: StatementDoc;
  readonly aFeb: StatementDoc;
  readonly b1: StatementDoc;
  readonly keys: { readonly a: string; readonly b: string; readonly aReadOnly: string };
  readonly tokens: { readonly alice: string; readonly bob: string; readonly ana: string; readonly root: string; readonly cy: string };
  json(method: 'GET' | 'POST' | 'PUT', url: string, authorization: string | null, payload?: unknown): Promise<LightMyRequestResponse>;
  /** Pushes, submits and (unless told not to) approves a run's statement through the desk's routes. */
  approve(run: Run, options?: { readonly approve?: boolean }): Promise<void>;
}

export async function partnerWorld(db: Db, options: Partial<ServerOptions> = {}): Promise<PartnerWorld> {
  const t = await startTestApp(db, options, USERS);
  const [ana, cy, root] = await Promise.all([t.tokenFor('ana'), t.tokenFor('cy'), t.tokenFor('root')]);
  const json: PartnerWorld['json'] = (method, url, authorization, payload) =>
    t.app.inject({ method, url, headers: { ...(authorization === null ? {} : { authorization }), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
  const ok = async (response: Awaited<ReturnType<PartnerWorld['json']>>, what: string) => {
    if (response.statusCode >= 300) throw new Error(`${what}: ${response.statusCode} ${response.body}`);
    return response.json() as Record<string, unknown>;
  };
  const admin = bearer(root).authorization as string;
  for (const [id, name] of [['A', 'Studio A'], ['B', 'Studio B']]) await ok(await json('POST', '/api/v1/admin/partners', admin, { id, name, analyst: 'ana' }), `partner ${id}`);
  // Each partner user signs in once with the admin's one-time password and sets their own (the one the tests use).
  const portalUser = async (partnerId: string, username: string, password: string) => {
    const oneTime = `${username}-one-time-password`;
    await ok(await json('POST', `/api/v1/admin/partners/${partnerId}/users`, admin, { username, password: oneTime }), username);
    const first = (await ok(await json('POST', '/api/v1/auth/sign-in', null, { username, password: oneTime }), username)) as { accessToken: string };
    return ((await ok(await json('POST', '/api/v1/auth/password', `Bearer ${first.accessToken}`, { currentPassword: oneTime, newPassword: password }), `${username}'s own password`)) as { accessToken: string }).accessToken;
  };
  const [alice, bob] = [await portalUser('A', 'alice', 'alice-password-123'), await portalUser('B', 'bob', 'bob-password-1234')];
  const key = async (partnerId: string, scopes: string[]) => ((await ok(await json('POST', `/api/v1/admin/partners/${partnerId}/api-keys`, admin, { name: `${partnerId} systems`, scopes, expiresAt: '2026-06-30T00:00:00Z' }), 'key')) as { secret: string }).secret;
  const keys = { a: await key('A', ['statements:read', 'queries:write']), b: await key('B', ['statements:read', 'queries:write']), aReadOnly: await key('A', ['statements:read']) };

  const approve: PartnerWorld['approve'] = async (run, approveOptions = {}) => {
    for (const [collection, doc] of run.docs) {
      const conflicts = await ok(await json('POST', `/api/v1/sync/${collection}/push`, bearer(ana).authorization as string, [{ newDocumentState: { ...doc, _deleted: false } }]), collection);
      if (Array.isArray(conflicts) && conflicts.length > 0 && collection !== 'agreement_versions' && collection !== 'import_batches') throw new Error(`${collection} conflicted`);
    }
    await ok(await json('POST', `/api/v1/statements/${run.statement.id}/submit`, bearer(ana).authorization as string, { statementHash: run.statement.hash }), 'submit');
    if (approveOptions.approve !== false) await ok(await json('POST', `/api/v1/statements/${run.statement.id}/approve`, bearer(cy).authorization as string, { statementHash: run.statement.hash }), 'approve');
  };
  return {
    t,
    a1: RUNS.a1().statement,
    a2: RUNS.a2().statement,
    aFeb: RUNS.aFeb().statement,
    b1: RUNS.b1().statement,
    keys,
    tokens: { alice: `Bearer ${alice}`, bob: `Bearer ${bob}`, ana: bearer(ana).authorization as string, root: admin, cy: bearer(cy).authorization as string },
    json,
    approve,
  };
}
