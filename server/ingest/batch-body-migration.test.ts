import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBatch } from '../../core/sync/batch.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import type { Db } from '../db/types.ts';
import { pullDocuments } from '../sync/repository.ts';
import { testDatabases } from '../test-support.ts';
import { batchDocOfColumns } from './batch-docs.ts';
import { BatchImportBody } from './batch-import.ts';

/**
 * What server/migrations/011-batch-body-text.sql does, on PGlite and PostgreSQL, to a database
 * that ran 001-010 and holds an import batch and an imports document (both jsonb then): the
 * batch's body moves to body_text, the other stays jsonb, both pull back as they were written,
 * and a row with its body in the other column is refused.
 */
const BODY = BatchImportBody.parse({
  source: { sourceId: 'psp-feed', format: 'psp-json', fileName: 'feed.json' },
  columns: {
    id: ['s.1', 's.2'], line: [2, 3], kind: ['sale', 'refund'], occurredAt: ['2026-03-05', '2026-04-01'], bookingDate: [null, null], valueDate: [null, null],
    amount: ['12.50', '-3.00'], currency: ['EUR', 'EUR'], account: [null, null], partnerId: ['studio-a', 'studio-a'], productId: [null, null], channel: [null, null],
    counterpartyName: [null, null], counterpartyAccount: [null, null], externalId: [null, null], batchId: [null, null], endToEndId: [null, null], bankReference: [null, null],
    // Escapes and non-ASCII text survive the move (jsonb's text form is other JSON text for the same document).
    description: ['Zahlung "März" \\ ü', null], customerRef: [null, null], rawNames: ['ref'], rawValues: [['s.1'], ['s.2']],
  },
});
const BATCH = batchDocOfColumns('imp.old', 0, BODY.source, BODY.columns);
const IMPORT = {
  id: 'imp.old', file: { fileName: 'feed.json', sha256: 'a'.repeat(64), sizeBytes: 10, format: 'psp-json' }, rowsRead: 2, entriesRead: 2,
  account: { transactions: 2, rejected: 0, duplicates: 0, conflicts: 0 }, rejections: [], batchIds: ['imp.old:0'], importedBy: 'ana', importedAt: '2026-03-06T10:00:00.000Z',
};

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`migration 011-batch-body-text on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const all = await loadMigrations();
      expect(all.map((each) => `${each.version}-${each.name}`).slice(10, 11)).toEqual(['11-batch-body-text']);
      ({ db, drop } = await target.open(all.slice(0, 10)));
      await db.query("insert into sync_documents (collection, id, seq, body, written_by) values ('import_batches', $1, nextval('sync_seq'), $2, 'ana'), ('imports', 'imp.old', nextval('sync_seq'), $3, 'ana')", [BATCH.doc.id, BATCH.json, JSON.stringify(IMPORT)]);
      expect(await migrate(db, all.slice(0, 11))).toEqual([11]);
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    it('moves import batch bodies to body_text and keeps every other body in jsonb', async () => {
      const { rows } = await db.query('select collection, body is null as no_jsonb, body_text is null as no_text from sync_documents order by collection');
      expect(rows).toEqual([
        { collection: 'import_batches', no_jsonb: true, no_text: false },
        { collection: 'imports', no_jsonb: false, no_text: true },
      ]);
    });

    it('pulls both documents back as they were written', async () => {
      const batches = await pullDocuments(db, 'import_batches', null, 10);
      expect(batches.documents).toEqual([{ ...BATCH.doc, _deleted: false }]);
      verifyBatch(batches.documents[0] as typeof BATCH.doc);
      expect((await pullDocuments(db, 'imports', null, 10)).documents).toEqual([{ ...IMPORT, _deleted: false }]);
    });

    it('refuses a batch body in jsonb, another body in text, and a row with both or neither', async () => {
      const insert = (collection: string, body: string | null, bodyText: string | null) =>
        db.query("insert into sync_documents (collection, id, seq, body, body_text, written_by) values ($1, 'x', nextval('sync_seq'), $2, $3, 'ana')", [collection, body, bodyText]);
      await expect(insert('import_batches', BATCH.json, null)).rejects.toThrow(/sync_documents_body_column/);
      await expect(insert('imports', null, JSON.stringify(IMPORT))).rejects.toThrow(/sync_documents_body_column/);
      await expect(insert('import_batches', BATCH.json, BATCH.json)).rejects.toThrow(/sync_documents_body_column/);
      await expect(insert('imports', null, null)).rejects.toThrow(/sync_documents_body_column/);
    });
  });
}
