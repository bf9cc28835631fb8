import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterEach, describe, expect, it } from 'vitest';
import { exceptionDocFixture, settlementFixture } from '../core/sync/fixtures.test-support.ts';
import { openDesk, type Desk, type DeskOptions } from '../renderer/desk/desk.ts';
import { sampleImport, SAMPLE_MONTH } from '../renderer/desk/fixtures.test-support.ts';

/**
 * The desk API on its own (no server), RxDB 17 + Dexie over fake-indexeddb: imports round-trip
 * exactly through batch documents, exception edits follow core's rules and land in the audit
 * chain, facts are insert-only, and everything written counts as pending while no server has it.
 */
let counter = 0;
const opened: Desk[] = [];

async function desk(overrides: Partial<DeskOptions> = {}): Promise<Desk> {
  let tick = 0;
  const instance = await openDesk({
    name: `desk_api_${process.pid}_${counter++}`,
    userId: 'ana',
    indexedDB,
    IDBKeyRange,
    nowIso: () => `2026-03-05T10:00:${String(tick++ % 60).padStart(2, '0')}Z`,
    ...overrides,
  });
  opened.push(instance);
  return instance;
}

afterEach(async () => {
  for (const instance of opened.splice(0)) await instance.close();
});

describe('desk storage', () => {
  it('stores an import of 10,002 rows as two batches with its row account, and loads every transaction back exactly', async () => {
    const d = await desk();
    const input = sampleImport(10_002);
    const stored = await d.storeImport(input, { importId: 'imp_march', importedAt: '2026-03-05T09:00:00Z' });
    // 10,002 rows at 10,000 per batch: 10,000 + 2.
    expect(stored.batchIds).toEqual(['imp_march:0', 'imp_march:1']);
    expect(stored.account).toEqual({ transactions: 10_002, rejected: 1, duplicates: 0, conflicts: 0 });
    expect(stored.rejections).toEqual([{ line: 10_004, column: 'amount', code: 'amount_not_decimal', reason: 'amount "12,5O" is not a decimal' }]);
    const loaded = await d.loadTransactions('all');
    expect(loaded).toEqual(input.transactions);
    expect(loaded[10_001]).toMatchObject({ id: 'csv:bench:R00010001', source: { line: 10_003 } });
    expect(await d.loadTransactions({ importIds: ['imp_march'] })).toHaveLength(10_002);
    expect(await d.loadTransactions({ importIds: ['other'] })).toEqual([]);
    expect((await d.listImports()).map((doc) => doc.id)).toEqual(['imp_march']);
  });

  it('filters a period by event, booking or value date, both ends included', async () => {
    const d = await desk();
    const input = sampleImport(62);
    await d.storeImport(input, { importId: 'imp_p', importedAt: '2026-03-05T09:00:00Z' });
    // Row i falls on day 1 + (i mod 31): days 1..2 hold rows 0, 1, 31, 32.
    const early = await d.loadTransactions({ period: { start: '2026-03-01', end: '2026-03-02' } });
    expect(early.map((tx) => tx.source.line)).toEqual([2, 3, 33, 34]);
    expect(await d.loadTransactions({ period: SAMPLE_MONTH })).toHaveLength(62);
    expect(await d.loadTransactions({ period: { start: '2026-04-01', end: '2026-04-30' } })).toEqual([]);
  });

  it('refuses a second import with the same id and a document that breaks its schema, writing nothing', async () => {
    const d = await desk();
    await d.storeImport(sampleImport(3), { importId: 'imp_a', importedAt: '2026-03-05T09:00:00Z' });
    await expect(d.storeImport(sampleImport(3), { importId: 'imp_a', importedAt: '2026-03-05T09:00:00Z' })).rejects.toMatchObject({ code: 'desk_fact_exists' });
    await expect(d.storeImport(sampleImport(3), { importId: 'imp b', importedAt: '2026-03-05T09:00:00Z' })).rejects.toMatchObject({ code: 'desk_document_invalid', details: { path: '$.id' } });
    await expect(d.storeImport(sampleImport(3), { importId: 'imp_c', importedAt: 'yesterday' })).rejects.toMatchObject({ code: 'desk_document_invalid', details: { path: '$.importedAt' } });
    expect((await d.listImports()).map((doc) => doc.id)).toEqual(['imp_a']);
    expect(await d.loadTransactions('all')).toHaveLength(3);
  });
});

describe('exceptions, comments and the audit chain', () => {
  it('assigns and resolves with a reason, refuses resolving without one, and chains every change', async () => {
    const d = await desk();
    const { updatedBy: _u, conflicts: _c, ...record } = exceptionDocFixture('tx_9', 'ana');
    expect(await d.raiseExceptions([record, record])).toBe(1);
    const assigned = await d.assignException(record.id, 'ana');
    expect(assigned).toMatchObject({ assignee: 'ana', updatedBy: 'ana', status: 'open' });
    await expect(d.transitionException(record.id, { to: 'resolved' })).rejects.toMatchObject({ code: 'exception_reason_required' });
    const resolved = await d.transitionException(record.id, { to: 'resolved', reason: 'bank fee booked by hand' });
    expect(resolved.status).toBe('resolved');
    expect(resolved.history).toEqual([{ at: expect.any(String), from: 'open', to: 'resolved', by: 'ana', reason: 'bank fee booked by hand', auto: false }]);
    expect((await d.listExceptions())[0]).toEqual(resolved);

    const comment = await d.addComment({ kind: 'exception', id: record.id }, 'checked against the bank statement');
    const comments = await firstValueFrom(d.comments$({ kind: 'exception', id: record.id }).pipe(filter((list) => list.length > 0)));
    expect(comments).toEqual([comment]);

    const trail = await d.auditTrail();
    expect(trail.map((event) => event.action)).toEqual(['exception.raised', 'exception.assigned', 'exception.resolved', 'comment.added']);
    expect(trail.map((event) => event.seq)).toEqual([0, 1, 2, 3]);
    expect(trail[2]?.details).toMatchObject({ from: 'open', to: 'resolved', reason: 'bank fee booked by hand' });
    expect(await d.verifyAudit()).toMatchObject({ ok: true, count: 4 });
  });

  it('refuses an exception change its audit event cannot hold, and writes neither (no change without its event)', async () => {
    const d = await desk();
    const { updatedBy: _u, conflicts: _c, ...record } = exceptionDocFixture('tx_long', 'ana');
    await d.raiseExceptions([record]);
    // An audit event's values hold at most 2,000 characters (core/sync/documents.ts AuditEventDoc).
    await expect(d.transitionException(record.id, { to: 'resolved', reason: 'x'.repeat(2_001) })).rejects.toMatchObject({ code: 'desk_document_invalid' });
    expect((await d.listExceptions())[0]).toMatchObject({ status: 'open', history: [] });
    expect((await d.auditTrail()).map((event) => event.action)).toEqual(['exception.raised']);
    const resolved = await d.transitionException(record.id, { to: 'resolved', reason: 'y'.repeat(2_000) });
    expect(resolved.status).toBe('resolved');
    expect((await d.auditTrail()).map((event) => event.action)).toEqual(['exception.raised', 'exception.resolved']);
    expect(await d.verifyAudit()).toMatchObject({ ok: true, count: 2 });
  });

  it('continues the same chain after the desk is closed and opened again', async () => {
    const name = `desk_api_reopen_${process.pid}`;
    const first = await openDesk({ name, userId: 'ana', indexedDB, IDBKeyRange });
    await first.addComment({ kind: 'import', id: 'imp_1' }, 'first');
    const chainId = first.chainId;
    await first.close();
    const again = await desk({ name });
    expect(again.chainId).toBe(chainId);
    await again.addComment({ kind: 'import', id: 'imp_1' }, 'second');
    const trail = await again.auditTrail();
    expect(trail.map((event) => [event.seq, event.action])).toEqual([[0, 'comment.added'], [1, 'comment.added']]);
    expect(trail[1]?.prevHash).toBe(trail[0]?.hash);
    expect(await again.verifyAudit()).toMatchObject({ ok: true, count: 2 });
  });

  it('counts every document as pending while no server has acknowledged any', async () => {
    const d = await desk();
    expect(await d.pendingCount()).toBe(0);
    await d.addComment({ kind: 'import', id: 'imp_1' }, 'hello');
    // The comment and its audit event.
    expect(await d.pendingCount()).toBe(2);
    const state = await firstValueFrom(d.sync$.pipe(filter((s) => s.pending === 2)));
    expect(state).toMatchObject({ server: 'none', pending: 2, conflicts: [] });
  });
});

describe('runs, statements and maker-checker on the desk', () => {
  it('stores a run with its statement, refuses submitting a blocked one and approving your own, and keeps facts insert-only', async () => {
    const ana = await desk();
    const fixture = settlementFixture({ by: 'ana' });
    const blocked = settlementFixture({ by: 'ana', runId: 'run_blocked', statementId: 'st_blocked', blockReasons: ['2 open critical exceptions'] });
    const strip = <T extends { createdBy: string; createdAt: string }>(doc: T) => {
      const { createdBy: _by, createdAt: _at, ...rest } = doc;
      return rest;
    };
    const { statementIds: _ids, ...run } = strip(fixture.run);
    const { runId: _runId, ...statement } = strip(fixture.statement);
    const stored = await ana.storeSettlementRun(run, [statement]);
    expect(stored.run.statementIds).toEqual([fixture.statement.id]);
    expect(stored.statements[0]).toMatchObject({ id: fixture.statement.id, runId: fixture.run.id, payable: fixture.statement.payable, createdBy: 'ana' });
    await expect(ana.storeSettlementRun(run, [statement])).rejects.toMatchObject({ code: 'desk_fact_exists' });

    const submitted = await ana.recordApproval(fixture.statement.id, 'submitted');
    expect(submitted).toMatchObject({ statementId: fixture.statement.id, statementHash: fixture.statement.hash, action: 'submitted', by: 'ana', reason: null });
    await expect(ana.recordApproval(fixture.statement.id, 'approved')).rejects.toMatchObject({ code: 'desk_maker_is_checker' });

    const { statementIds: _blockedIds, ...blockedRun } = strip(blocked.run);
    const { runId: _blockedRunId, ...blockedStatement } = strip(blocked.statement);
    await ana.storeSettlementRun(blockedRun, [blockedStatement]);
    await expect(ana.recordApproval('st_blocked', 'submitted')).rejects.toMatchObject({ code: 'desk_statement_blocked' });

    await ana.addAgreementVersion(fixture.agreement.agreement);
    await expect(ana.addAgreementVersion(fixture.agreement.agreement)).rejects.toMatchObject({ code: 'desk_fact_exists' });
    expect((await ana.listAgreementVersions()).map((doc) => doc.id)).toEqual([fixture.agreement.id]);
    const approvals = await firstValueFrom(ana.approvals$(fixture.statement.id).pipe(filter((list) => list.length > 0)));
    expect(approvals).toEqual([submitted]);
    expect((await ana.auditTrail()).map((event) => event.action)).toEqual(['settlement_run.stored', 'statement.submitted', 'settlement_run.stored', 'agreement_version.added']);
  });
});
