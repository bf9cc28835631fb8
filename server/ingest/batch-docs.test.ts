import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonical/json.ts';
import { sha256Hex } from '../../core/hash/sha256.ts';
import { importFile } from '../../core/ingest/import-file.ts';
import { IMPORTERS } from '../../core/importers/registry.ts';
import { batchHashText, packBatch, verifyBatch, type BatchColumns } from '../../core/sync/batch.ts';
import { batchDocOfColumns, batchDocsOfTransactions, type BatchToStore } from './batch-docs.ts';

/**
 * The server turns a batch's columns into JSON once: the content hash is taken over text
 * assembled around that string, and the stored JSON is assembled from the same string. Both must
 * be what core computes (desks verify the hash with core's verifyBatch), so each is compared with
 * core's own text: batchHashText hashed by core's pure-JS SHA-256, and canonicalJson of the document.
 */
function expectCoreTexts({ doc, json }: BatchToStore): void {
  expect(doc.contentHash).toBe(sha256Hex(batchHashText(doc)));
  verifyBatch(doc);
  expect(json).toBe(canonicalJson(doc));
  // What PostgreSQL's jsonb receives is the document the old JSON.stringify sent.
  expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(doc)));
}

const REAL_WORLD_DIR = process.env.SETTLEDESK_REAL_WORLD ?? null;
const FORMAT_DIRS = ['bai2', 'camt053', 'camt054', 'mt940', 'ofx'];

describe('batch documents with their JSON made once', () => {
  it.skipIf(REAL_WORLD_DIR === null)('hashes and stores every real-world corpus file exactly as core packs it (SETTLEDESK_REAL_WORLD)', () => {
    const files = FORMAT_DIRS.flatMap((dir) => readdirSync(path.join(REAL_WORLD_DIR as string, dir)).map((name) => path.join(REAL_WORLD_DIR as string, dir, name)));
    let checked = 0;
    for (const file of files) {
      const result = importFile(IMPORTERS, readFileSync(file), path.basename(file), { format: 'auto', pseudonymization: { mode: 'hmac', key: 'k'.repeat(43) } });
      if (result.transactions.length === 0) continue;
      const [batch, ...more] = batchDocsOfTransactions('imp.real', result.transactions);
      expect(more).toEqual([]);
      if (batch === undefined) continue;
      // Same document, hash included, as core's packBatch (pure-JS SHA-256 over its own canonical text).
      expect(batch.doc).toEqual(packBatch('imp.real', 0, result.transactions));
      expectCoreTexts(batch);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('hashes and stores a full 10,000-row feed batch with escapes, non-ASCII text and nulls as core does', () => {
    const rows = 10_000;
    const cells = <T>(cell: (index: number) => T): T[] => Array.from({ length: rows }, (_, index) => cell(index));
    const texts = ['Müller & Söhne "GmbH"', 'tab\there, back\\slash', 'line\nbreak \u0001', '決済 😀', '\u2028 separator', 'plain'];
    const columns: BatchColumns = {
      id: cells((index) => `p.${index}`), line: cells((index) => index + 1), kind: cells((index) => (index % 7 === 0 ? 'refund' : 'sale')),
      occurredAt: cells((index) => `2026-03-${String((index % 28) + 1).padStart(2, '0')}T10:00:00+09:00`), bookingDate: cells((index) => (index % 3 === 0 ? null : '2026-04-01')),
      valueDate: cells(() => null), amount: cells((index) => (index % 7 === 0 ? `-${index}.50` : `${index}.05`)), currency: cells((index) => (index % 5 === 0 ? 'JPY' : 'EUR')),
      account: cells(() => null), partnerId: cells((index) => `studio-${index % 40}`), productId: cells(() => null), channel: cells(() => 'web'),
      counterpartyName: cells((index) => texts[index % texts.length] as string), counterpartyAccount: cells(() => null), externalId: cells((index) => `ext-${index}`),
      batchId: cells(() => null), endToEndId: cells(() => null), bankReference: cells(() => null), description: cells((index) => texts[(index + 1) % texts.length] as string),
      customerRef: cells(() => null), rawNames: ['memo', 'ref'], rawValues: cells((index) => [texts[(index + 2) % texts.length] as string, index % 2 === 0 ? null : `r${index}`]),
    };
    const batch = batchDocOfColumns('imp.feed', 0, { sourceId: 'psp "feed"', format: 'psp-json', fileName: 'feed ü.json' }, columns);
    expect(batch.doc).toMatchObject({ id: 'imp.feed:0', importId: 'imp.feed', chunkIndex: 0, rowCount: 10_000 });
    expectCoreTexts(batch);
  });
});
