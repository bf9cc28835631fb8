import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { addRxPlugin, createRxDatabase, type RxCollection, type RxJsonSchema } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassificationRule } from '../../core/classify/rules.ts';
import { CsvProfileSchema } from '../../core/importers/csv-profile.ts';
import { appendAuditEvent } from '../../core/sync/audit-chain.ts';
import { COLLECTION_NAMES, COLLECTIONS, type CollectionName } from '../../core/sync/documents.ts';
import { exceptionDocFixture, settlementFixture, T0 } from '../../core/sync/fixtures.test-support.ts';
import { dexieStorage, openDeskDatabase } from './database.ts';
import { DESK_SCHEMA_REGISTRY, rxSchemaOf } from './schemas.ts';
import { fromStoredBatch, toStoredBatch, type StoredBatch } from './transactions.ts';
import type { ImportBatchDoc } from '../../core/sync/batch.ts';

/**
 * The RxJSON schemas are derived from core/sync's zod schemas: a valid document of every
 * collection passes both, and documents zod refuses for a structural reason are refused by RxDB's
 * own schema validation too (ajv over the derived schema). The version registry runs a v0 -> v1
 * migration through the desk's real open path.
 */
const REJECTION = { line: 4, column: 'amount', code: 'amount_not_decimal', reason: 'amount: amount "12.3.4": not a number in the column\'s format' } as const;

/** An import as a v0 desk wrote it: its rejection without says/params. */
function importV0(id: string, batchIds: readonly string[]) {
  return { id, file: { fileName: 'jan.csv', sha256: 'a'.repeat(64), sizeBytes: 120, format: 'csv' }, rowsRead: 3, entriesRead: 3, account: { transactions: 2, rejected: 1, duplicates: 0, conflicts: 0 }, rejections: [REJECTION], batchIds: [...batchIds], importedBy: 'ana', importedAt: T0 };
}

/** The imports collection's v0 schema: the rejection had no says/params then. */
function importsSchemaV0(): RxJsonSchema<unknown> {
  const schema = structuredClone(rxSchemaOf('imports', { version: 0, migrationStrategies: {}, indexes: [] })) as unknown as { properties: { rejections: { items: { properties: Record<string, unknown> } } } };
  const { says: _says, params: _params, ...v0 } = schema.properties.rejections.items.properties;
  schema.properties.rejections.items.properties = v0;
  return schema as unknown as RxJsonSchema<unknown>;
}

function validDocs(): Record<CollectionName, Record<string, unknown>> {
  const fixture = settlementFixture();
  const profile = CsvProfileSchema.parse({ name: 'bank', delimiter: ';', date: { format: 'DD.MM.YYYY' }, sign: { convention: 'signed', column: 'amount' }, currency: { fixed: 'EUR' }, columns: { date: 'date' }, id: { policy: 'fingerprint' }, kind: { fixed: 'sale' } });
  const rule = ClassificationRule.parse({ id: 'r1', when: [{ op: 'equals', field: 'source.format', value: 'csv' }], assign: { account: '4000' } });
  return {
    import_batches: fixture.batch,
    imports: { ...importV0(fixture.batch.importId, [fixture.batch.id]), rowsRead: 3, entriesRead: 3, account: { transactions: 2, rejected: 1, duplicates: 0, conflicts: 0 }, rejections: [{ ...REJECTION, says: 'amount_unreadable', params: { columnName: 'amount', value: '12.3.4', problem: 'not_decimal' } }] },
    exceptions: exceptionDocFixture(),
    comments: { id: 'comment.1', subject: { kind: 'statement', id: fixture.statement.id }, author: 'ana', text: 'checked', at: T0 },
    agreement_versions: fixture.agreement,
    mapping_profiles: { id: 'profile.bank', name: 'Bank', profile, updatedBy: 'ana', updatedAt: T0 },
    classification_rules: { id: 'rule.1', order: 0, rule, updatedBy: 'ana', updatedAt: T0 },
    settlement_runs: fixture.run,
    statements: fixture.statement,
    approval_events: { id: 'approval.1', statementId: fixture.statement.id, statementHash: fixture.statement.hash, action: 'submitted', by: 'ana', at: T0, reason: null },
    audit_events: appendAuditEvent(null, { id: 'audit.desk.x.0', chainId: 'desk.x', at: T0, actor: 'ana', action: 'comment.added', subject: { kind: 'comments', id: 'comment.1' }, details: {} }),
  } as unknown as Record<CollectionName, Record<string, unknown>>;
}

describe('RxJSON schemas derived from the zod schemas', () => {
  const docs = validDocs();
  let db: Awaited<ReturnType<typeof createRxDatabase>>;
  let collections: Record<string, RxCollection>;

  beforeAll(async () => {
    db = await createRxDatabase({ name: 'schemas_ajv', storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }), multiInstance: false });
    // A collection past version 0 (imports) asks for the migration plugin even in a new database.
    addRxPlugin(RxDBMigrationSchemaPlugin);
    collections = await db.addCollections(Object.fromEntries(COLLECTION_NAMES.map((name) => [name, { schema: rxSchemaOf(name), migrationStrategies: DESK_SCHEMA_REGISTRY[name].migrationStrategies }])));
  });
  afterAll(async () => {
    await db?.remove();
  });

  it.each(COLLECTION_NAMES)('a valid %s document passes zod and is stored by RxDB under schema validation', async (name) => {
    const doc = docs[name];
    expect(COLLECTIONS[name].safeParse(doc).success).toBe(true);
    // A batch is stored with its columns as one JSON text (transactions.ts); everything else as on the wire.
    const local = name === 'import_batches' ? toStoredBatch(doc as unknown as ImportBatchDoc) : doc;
    await collections[name]?.insert(structuredClone(local));
    const { _meta, _rev, _attachments, _deleted, ...stored } = (await collections[name]?.findOne(String(doc.id)).exec())?.toJSON(true) as Record<string, unknown>;
    expect(_deleted).toBe(false);
    const back = name === 'import_batches' ? fromStoredBatch(stored as unknown as StoredBatch) : stored;
    expect(COLLECTIONS[name].parse(back)).toEqual(COLLECTIONS[name].parse(doc));
  });

  const broken: ReadonlyArray<readonly [CollectionName, string, (doc: Record<string, unknown>) => Record<string, unknown>]> = [
    ['exceptions', 'an unknown severity', (doc) => ({ ...doc, id: 'exc_'.padEnd(36, 'b'), severity: 'urgent' })],
    ['comments', 'an empty text', (doc) => ({ ...doc, id: 'comment.2', text: '' })],
    ['approval_events', 'an action outside the list', (doc) => ({ ...doc, id: 'approval.2', action: 'approve-all' })],
    ['audit_events', 'a hash that is no SHA-256', (doc) => ({ ...doc, id: 'audit.desk.x.9', hash: 'abc' })],
    ['statements', 'an extra field', (doc) => ({ ...doc, id: 'st.extra', note: 'sneaked in' })],
    ['imports', 'a rejection value under no name', (doc) => ({ ...doc, id: 'imp.bad-name', rejections: [{ ...REJECTION, says: 'amount_unreadable', params: { 'column name': 'amount' } }] })],
    ['imports', 'a rejection with 17 values', (doc) => ({ ...doc, id: 'imp.many', rejections: [{ ...REJECTION, says: 'amount_unreadable', params: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`v${i}`, 'x'])) }] })],
    ['imports', 'a rejection value of 2,001 characters', (doc) => ({ ...doc, id: 'imp.long', rejections: [{ ...REJECTION, says: 'amount_unreadable', params: { value: 'x'.repeat(2001) } }] })],
  ];

  it.each(broken)('a %s document with %s is refused by zod and by RxDB alike', async (name, _what, mutate) => {
    const doc = mutate(docs[name]);
    expect(COLLECTIONS[name].safeParse(doc).success).toBe(false);
    // VD2: RxDB's schema validation refused the write.
    await expect(collections[name]?.insert(doc)).rejects.toMatchObject({ code: 'VD2' });
    expect(await collections[name]?.findOne(String(doc.id)).exec()).toBeNull();
  });

  it('every collection is at version 0 with its migration strategies wired but imports (v1: says/params), and at most 12 collections', () => {
    expect(COLLECTION_NAMES.length).toBeLessThanOrEqual(12);
    for (const name of COLLECTION_NAMES.filter((name) => name !== 'imports')) {
      expect(rxSchemaOf(name).version).toBe(0);
      expect(DESK_SCHEMA_REGISTRY[name].migrationStrategies).toEqual({});
    }
    expect(rxSchemaOf('imports').version).toBe(1);
    expect(Object.keys(DESK_SCHEMA_REGISTRY.imports.migrationStrategies)).toEqual(['1']);
    expect(() => rxSchemaOf('comments', { version: 1, migrationStrategies: {}, indexes: [] })).toThrow(/strategy that migrates to it/);
  });
});

describe('schema migration through the desk open path', () => {
  it('a comments collection written at v0 opens at v1 with each document migrated by its strategy', async () => {
    const name = `schemas_migrate_${process.pid}`;
    const v0 = await openDeskDatabase({ name, userId: 'ana', indexedDB, IDBKeyRange, collections: ['comments'] });
    await v0.collections.comments?.insert({ id: 'comment.1', subject: { kind: 'import', id: 'imp_1' }, author: 'ana', text: '  checked  ', at: T0 });
    await v0.db.close();

    const registry = { ...DESK_SCHEMA_REGISTRY, comments: { ...DESK_SCHEMA_REGISTRY.comments, version: 1, migrationStrategies: { 1: (doc: { text: string }) => ({ ...doc, text: doc.text.trim() }) } } };
    const v1 = await openDeskDatabase({ name, userId: 'ana', indexedDB, IDBKeyRange, collections: ['comments'], schemaRegistry: registry });
    try {
      expect(v1.collections.comments?.schema.version).toBe(1);
      const migrated = (await v1.collections.comments?.findOne('comment.1').exec())?.toJSON();
      expect(migrated).toMatchObject({ id: 'comment.1', text: 'checked', author: 'ana' });
    } finally {
      await v1.db.remove();
    }
  });

  it('imports written at v0 (rejections without says/params) open at v1 with every field kept and the new ones absent', async () => {
    const name = `schemas_imports_v0_${process.pid}`;
    const v0 = await createRxDatabase({ name, storage: dexieStorage({ indexedDB, IDBKeyRange }), multiInstance: false, localDocuments: true });
    await v0.addCollections({ imports: { schema: importsSchemaV0() } });
    const written = importV0('imp_v0', ['imp_v0:0']);
    await v0.collections.imports?.insert(structuredClone(written));
    await v0.close();

    // The v1 schema under version 0 is refused: a change of shape needs its version.
    await expect(openDeskDatabase({ name, userId: 'ana', indexedDB, IDBKeyRange, collections: ['imports'], schemaRegistry: { ...DESK_SCHEMA_REGISTRY, imports: { version: 0, migrationStrategies: {}, indexes: [] } } })).rejects.toMatchObject({ code: 'DB6' });

    const v1 = await openDeskDatabase({ name, userId: 'ana', indexedDB, IDBKeyRange, collections: ['imports'] });
    try {
      expect(v1.collections.imports?.schema.version).toBe(1);
      const migrated = (await v1.collections.imports?.findOne('imp_v0').exec())?.toJSON();
      expect(migrated).toEqual(written);
      expect(COLLECTIONS.imports.parse(migrated)).toEqual(written);
      // A v1 rejection keeps what it says beside the v0 one.
      const said = { ...importV0('imp_v1', ['imp_v1:0']), rejections: [{ ...REJECTION, says: 'amount_unreadable', params: { columnName: 'amount', value: '12.3.4', problem: 'not_decimal' } }] };
      await v1.collections.imports?.insert(structuredClone(said));
      expect((await v1.collections.imports?.findOne('imp_v1').exec())?.toJSON()).toEqual(said);
    } finally {
      await v1.db.remove();
    }
  });
});
