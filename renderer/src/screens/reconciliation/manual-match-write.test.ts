import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { groupedUnmatchedKey } from '../../../../core/exceptions/from-reconcile.ts';
import { createException, type ExceptionRecord } from '../../../../core/exceptions/model.ts';
import { makeTx } from '../../../../core/reconcile/test-support.ts';
import { openDesk, type Desk } from '../../../desk/desk.ts';
import { handMatchedIds } from './hand-matched.ts';
import { MANUAL_MATCH_PREFIX, manualMatchReason, manualMatchWrites, writeManualMatch } from './manual-match.ts';
import { AUDIT_VALUE_CHARS_MAX, COMMENT_TEXT_CHARS_MAX } from '../../../../core/sync/documents.ts';

/**
 * A manual match of 100 PSP and 100 bank items with ids of 60 characters, on a desk (RxDB over
 * fake-indexeddb): the PSP payouts each have their own unmatched exception, the bank lines are one
 * grouped day. Written as one text it is 12,639 characters: over a comment's 10,000 and an audit
 * value's 2,000, so the desk refused it after resolving what came before.
 */
let counter = 0;
const opened: Desk[] = [];
afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
});

const AT = '2026-04-01T00:00:00Z';
const id60 = (side: string, at: number) => `${side}-${String(at).padStart(3, '0')}-`.padEnd(60, 'x');
const PSP = Array.from({ length: 100 }, (_, at) => makeTx({ id: id60('psp', at), amount: '-1.00', date: '2026-03-04', kind: 'payout' }));
const BANK = Array.from({ length: 100 }, (_, at) => ({ ...makeTx({ id: id60('bank', at), amount: '1.00', date: '2026-03-04', kind: 'transfer' }), account: 'NL91' }));

function raised(): ExceptionRecord[] {
  const own = PSP.map((tx) => createException({ type: 'unmatched', key: ['pspUnsettled', tx.id], severity: 'low', title: 't', amountAtRisk: null, partnerId: null, period: null, sourceRefs: [{ kind: 'transaction', id: tx.id, line: null }] }, AT));
  const group = createException(
    { type: 'unmatched', key: groupedUnmatchedKey({ side: 'bank', account: 'NL91', currency: 'EUR', date: '2026-03-04' }), severity: 'low', title: 't', amountAtRisk: null, partnerId: null, period: null, sourceRefs: [], details: { side: 'bank', grouped: 'day', account: 'NL91', currency: 'EUR', date: '2026-03-04', count: '100', net: '100.00', gross: '100.00', partners: '0' } },
    AT,
  );
  return [...own, group];
}

async function deskWithExceptions(): Promise<Desk> {
  let tick = 0;
  const desk = await openDesk({ name: `manual_match_${process.pid}_${counter++}`, userId: 'ana', indexedDB, IDBKeyRange, nowIso: () => `2026-04-02T10:00:${String(tick++ % 60).padStart(2, '0')}Z` });
  opened.push(desk);
  await desk.raiseExceptions(raised());
  return desk;
}

describe('a manual match of 100 + 100 long ids on the desk', () => {
  it('is more than one comment or one audit value can hold as one text', async () => {
    // Each side's JSON array: 100 ids of 60 characters quoted (62) + 99 commas + 2 brackets = 6,301; both 12,602; with
    // 'manual match psp=' (17), ' bank=' (6), ': ' (2) and 'payout batch' (12): 12,639.
    const whole = manualMatchReason(PSP, BANK, 'payout batch');
    expect(whole.length).toBe(12_639);
    const desk = await deskWithExceptions();
    const [group] = (await desk.listExceptions()).filter((doc) => doc.details.grouped === 'day');
    await expect(desk.addComment({ kind: 'exception', id: group!.id }, whole)).rejects.toThrow();
    // Resolving a PSP item's exception with it fails at its audit event (the screen wrote it so before, item by item).
    const [own] = (await desk.listExceptions()).filter((doc) => doc.details.grouped !== 'day');
    await expect(desk.transitionException(own!.id, { to: 'resolved', reason: whole })).rejects.toThrow();
  });

  it('is stored whole: every item\'s exception resolved, the group commented in parts, and the desk reads all 200 ids back in one query', async () => {
    const desk = await deskWithExceptions();
    const known = new Set((await desk.listExceptions()).map((doc) => doc.id));
    const writes = manualMatchWrites(PSP, BANK, 'payout batch', known);
    expect(writes).not.toBeNull();
    // 100 PSP exceptions resolved; the group's comment in two parts (12,639 characters do not fit one of 10,000).
    expect([writes!.resolutions.length, writes!.comments.length]).toEqual([100, 2]);
    for (const { text } of writes!.comments) expect(text.length).toBeLessThanOrEqual(COMMENT_TEXT_CHARS_MAX);
    for (const { reason } of writes!.resolutions) expect(reason.length).toBeLessThanOrEqual(AUDIT_VALUE_CHARS_MAX);
    await writeManualMatch(desk, writes!);
    const exceptions = await desk.listExceptions();
    const comments = await firstValueFrom(desk.commentsStartingWith$('exception', MANUAL_MATCH_PREFIX));
    expect(comments.map((comment) => comment.text.slice(-19)).sort()).toEqual(['batch (part 1 of 2)', 'batch (part 2 of 2)']);
    expect(handMatchedIds(exceptions, comments)).toEqual([...BANK, ...PSP].map((tx) => tx.id).sort());
    expect((await desk.verifyAudit()).ok).toBe(true);
  });

  it('refuses before writing anything when one id cannot fit an audit value with the words', () => {
    const long = [makeTx({ id: 'p'.repeat(2_000), amount: '-1.00', date: '2026-03-04', kind: 'payout' })];
    expect(manualMatchWrites(long, BANK.slice(0, 1), 'payout batch', new Set())).toBeNull();
  });
});
