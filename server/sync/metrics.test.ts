import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.ts';
import { bearer, startTestApp, type TestApp } from '../test-app.test-support.ts';
import { testDatabases } from '../test-support.ts';

/**
 * /metrics after real actions, on PGlite and PostgreSQL: pushes, conflicts, documents pulled with
 * their sync lag, and feed rows ingested. Counts are the actions the test makes, counted by hand.
 */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`metrics on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let t: TestApp;

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      t = await startTestApp(db, {}, { ana: 'analyst' });
    });
    afterAll(async () => {
      await t?.app.close();
      await db?.close();
      await drop?.();
    });

    it('counts pushes, conflicts, ingested rows and the sync lag of what pulls deliver', async () => {
      const headers = { ...bearer(await t.tokenFor('ana')), 'content-type': 'application/json' };
      const comment = { id: 'cmt_m1', subject: { kind: 'exception', id: 'exc_1' }, author: 'ana', text: 'first', at: '2026-03-02T10:00:00Z', _deleted: false };
      const push = (rows: unknown[]) => t.app.inject({ method: 'POST', url: '/api/v1/sync/comments/push', headers, payload: JSON.stringify(rows) });
      expect((await push([{ newDocumentState: comment }])).json()).toEqual([]);
      // A changed fact is a conflict: the second push returns the stored comment.
      expect((await push([{ newDocumentState: { ...comment, text: 'changed' }, assumedMasterState: comment }])).json()).toHaveLength(1);
      const batch = {
        source: { sourceId: 'feed', format: 'psp-json', fileName: 'm.json' },
        columns: {
          id: ['m.1', 'm.2', 'm.1'], line: [1, 2, 3], kind: ['sale', 'sale', 'sale'], occurredAt: ['2026-03-01', '2026-03-01', '2026-03-01'], bookingDate: [null, null, null], valueDate: [null, null, null],
          amount: ['1.00', '2.00', '1.00'], currency: ['EUR', 'EUR', 'EUR'], account: [null, null, null], partnerId: [null, null, null], productId: [null, null, null], channel: [null, null, null],
          counterpartyName: [null, null, null], counterpartyAccount: [null, null, null], externalId: [null, null, null], batchId: [null, null, null], endToEndId: [null, null, null],
          bankReference: [null, null, null], description: [null, null, null], customerRef: [null, null, null], rawNames: [], rawValues: [[], [], []],
        },
      };
      const imported = await t.app.inject({ method: 'POST', url: '/api/v1/imports/batch', headers: { ...headers, 'idempotency-key': 'metrics-batch-1' }, payload: JSON.stringify(batch) });
      expect(imported.json()).toMatchObject({ imported: 2, duplicates: [{ line: 3 }] });
      // The comment, plus its audit event: two documents pulled, each observed once for lag.
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/sync/comments/pull', headers })).json().documents).toHaveLength(1);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/sync/audit_events/pull?limit=1', headers })).json().documents).toHaveLength(1);

      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'settledesk_sync_pushes_total{collection="comments"}')).toBe(2);
      expect(sample(text, 'settledesk_sync_pushed_documents_total{collection="comments"}')).toBe(1);
      expect(sample(text, 'settledesk_sync_conflicts_total{collection="comments"}')).toBe(1);
      // Two new rows of three: the third repeats m.1.
      expect(sample(text, 'settledesk_ingest_rows_total')).toBe(2);
      expect(sample(text, 'settledesk_sync_lag_seconds_count{via="pull"}')).toBe(2);
      const lagSum = sample(text, 'settledesk_sync_lag_seconds_sum{via="pull"}');
      // Written moments ago: a lag of at least zero and well under a minute.
      expect(lagSum).toBeGreaterThanOrEqual(0);
      expect(lagSum).toBeLessThan(60);
      expect(sample(text, 'settledesk_sync_lag_seconds_bucket{le="86400",via="pull"}')).toBe(2);
    });
  });
}
