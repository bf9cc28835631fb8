import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementOf, row } from '../core/settlement/testkit.ts';
import { openDesk, type ApprovalRefusal, type Desk } from '../renderer/desk/desk.ts';
import { settle } from '../renderer/engine/settle.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { bearer, startTestApp, type TestApp } from '../server/test-app.test-support.ts';

/**
 * Maker-checker from desk to server and back: an analyst's desk runs a settlement in the engine
 * code over its stored batches, stores and submits it; an approver's desk (another user) pulls it
 * and approves; the server recomputes the statement from what the desks pushed and accepts. An
 * approval the server refuses comes back to the approver's desk with the server's reason.
 */
const COLLECTIONS = ['imports', 'import_batches', 'agreement_versions', 'settlement_runs', 'statements', 'approval_events'] as const;

// January for partner p: 100.00 + 200.00 - 50.00 = 250.00 earned; 70 % share = 175.00 payable.
const JANUARY = [row('sale', '100.00', { date: '2026-01-10T10:00:00Z' }), row('sale', '200.00', { date: '2026-01-12T10:00:00Z' }), row('refund', '-50.00', { date: '2026-01-15T10:00:00Z' })];
const [AGREEMENT] = agreementOf({ share: { rate: '70' } });

describe('maker-checker through replication', () => {
  let db: Db;
  let t: TestApp;
  let ana: Desk;
  let bob: Desk;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, {}, { ana: 'analyst', bob: 'approver' });
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const open = async (user: 'ana' | 'bob') => {
      const token = await t.tokenFor(user);
      let tick = 0;
      return openDesk({
        name: `desk_mc_${user}_${process.pid}`,
        userId: user,
        indexedDB,
        IDBKeyRange,
        collections: COLLECTIONS,
        nowIso: () => `2026-02-0${user === 'ana' ? '1' : '2'}T10:00:${String(tick++ % 60).padStart(2, '0')}Z`,
        sync: { baseUrl: base, token: async () => token, retryTimeMs: 50, pollIntervalMs: 0, eventSource: null },
      });
    };
    ana = await open('ana');
    bob = await open('bob');
  }, 240_000);
  afterAll(async () => {
    await ana?.close();
    await bob?.close();
    await t?.app.close();
    await db?.close();
  });

  const runOn = async (desk: Desk, revision: number) => {
    const output = settle({ runId: `run.2026-01.r${revision}`, month: '2026-01', revision, batches: await desk.loadBatches(), reference: { kind: 'given', agreements: [AGREEMENT!], rates: { source: 'ECB', base: 'EUR', quotes: {} } }, statesIn: {}, exceptions: [] }, () => undefined, () => 0);
    return desk.storeSettlementRun(output.run, output.statements);
  };

  it('an analyst submits, an approver approves, and the server accepts what it recomputes', async () => {
    await ana.storeImport({ file: { fileName: 'jan.csv', sha256: 'a'.repeat(64), sizeBytes: 10, format: 'csv' }, rowsRead: 3, entriesRead: 3, transactions: JANUARY, rejected: [], duplicates: [], conflicts: [] }, { importId: 'imp.jan', importedAt: '2026-02-01T09:00:00Z' });
    await ana.addAgreementVersion(AGREEMENT!);
    const { run, statements } = await runOn(ana, 1);
    expect(run.inputBatchIds).toEqual(['imp.jan:0']);
    expect(statements.map((doc) => doc.payable)).toEqual(['175.00']);
    const statement = statements[0]!;
    await ana.recordApproval(statement.id, 'submitted');
    await ana.syncNow();
    // The submission is retried until the run's inputs are on the server, then accepted.
    await expect.poll(() => ana.pendingCount(), { timeout: 20_000 }).toBe(0);

    await bob.syncNow();
    const seen = await firstValueFrom(bob.approvals$(statement.id).pipe(filter((events) => events.length === 1)));
    expect(seen[0]?.action).toBe('submitted');
    await bob.recordApproval(statement.id, 'approved');
    await bob.syncNow();
    await expect.poll(() => bob.pendingCount(), { timeout: 20_000 }).toBe(0);
    const answer = await t.app.inject({ method: 'GET', url: `/api/v1/statements/${statement.id}`, headers: bearer(await t.tokenFor('bob')) });
    expect((answer.json() as { approvals: { action: string; by: string }[] }).approvals.map((event) => [event.action, event.by])).toEqual([['submitted', 'ana'], ['approved', 'bob']]);
    expect(await firstValueFrom(bob.approvalRefusals$)).toEqual([]);
  }, 60_000);

  it('an approval the server refuses shows on the approver\'s desk with the server\'s reason and is not pushed again', async () => {
    const { statements } = await runOn(ana, 2);
    await ana.syncNow();
    await expect.poll(() => ana.pendingCount(), { timeout: 20_000 }).toBe(0);
    await bob.syncNow();
    const statement = statements[0]!;
    await firstValueFrom(bob.statements$(statement.runId).pipe(filter((docs) => docs.length === 1)));
    // Never submitted: the server refuses the approval.
    const event = await bob.recordApproval(statement.id, 'approved');
    await bob.syncNow();
    const refusals: ApprovalRefusal[] = await firstValueFrom(bob.approvalRefusals$.pipe(filter((list) => list.length > 0)));
    expect(refusals.map((refusal) => [refusal.id, refusal.code])).toEqual([[event.id, 'statement_not_submitted']]);
    expect(refusals[0]?.message).toContain('not waiting for approval');
    expect(await bob.pendingCount()).toBe(0);
    const answer = await t.app.inject({ method: 'GET', url: `/api/v1/statements/${statement.id}`, headers: bearer(await t.tokenFor('bob')) });
    expect((answer.json() as { approvals: unknown[] }).approvals).toEqual([]);

    // Submitted now; a rejection without a reason is refused by the server too, one with a reason is taken.
    await ana.recordApproval(statement.id, 'submitted');
    await ana.syncNow();
    await expect.poll(() => ana.pendingCount(), { timeout: 20_000 }).toBe(0);
    await bob.syncNow();
    await firstValueFrom(bob.approvals$(statement.id).pipe(filter((events) => events.some((e) => e.action === 'submitted'))));
    const silent = await bob.recordApproval(statement.id, 'rejected', null);
    await bob.syncNow();
    const more = await firstValueFrom(bob.approvalRefusals$.pipe(filter((list) => list.length > 1)));
    expect(more.map((refusal) => [refusal.id, refusal.code])).toContainEqual([silent.id, 'rejection_reason_missing']);
    await bob.recordApproval(statement.id, 'rejected', 'share rate is 65 % from March');
    await bob.syncNow();
    await expect.poll(() => bob.pendingCount(), { timeout: 20_000 }).toBe(0);
    const after = await t.app.inject({ method: 'GET', url: `/api/v1/statements/${statement.id}`, headers: bearer(await t.tokenFor('bob')) });
    expect((after.json() as { approvals: { action: string; reason: string | null }[] }).approvals.map((event) => [event.action, event.reason])).toEqual([['submitted', null], ['rejected', 'share rate is 65 % from March']]);
  }, 90_000);
});
