import type { MigrationStrategies, RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import { COLLECTIONS, COLLECTION_NAMES, COLLECTIONS_MAX, type CollectionName, type DocOf, type ImportDoc } from '../../core/sync/documents.ts';
import { DOC_ID_CHARS_MAX } from '../../core/sync/primitives.ts';
import { assert } from '../../core/assert.ts';
import type { StoredBatch } from './transactions.ts';

/**
 * The desk's RxDB schemas, derived from core/sync's zod schemas (z.toJSONSchema) so the two
 * cannot drift: zod stays the validator at the desk's write boundary (documents.ts refinements
 * such as the row account do not fit JSON Schema), the RxJSON schema gives RxDB its primary
 * key, indexes and version.
 *
 * Schema versions: every collection started at version 0 with its migration strategies wired.
 * A change to a collection's document shape bumps its entry in DESK_SCHEMA_REGISTRY and adds the
 * strategy that turns version N-1 documents into version N (RxDB runs them in order on open).
 * The sync server speaks the newest shape; a desk migrates before it replicates.
 *
 * One stored shape differs from the wire: import_batches keep their columns as one JSON text
 * (transactions.ts StoredBatch), converted at the replication boundary.
 */
export interface CollectionSchemaEntry {
  readonly version: number;
  /** Key = the version a strategy migrates TO (1, 2, ...): RxDB's contract. */
  readonly migrationStrategies: MigrationStrategies;
  /** Secondary indexes (string fields have maxLength in the zod schema). */
  readonly indexes: ReadonlyArray<string | readonly string[]>;
}

export type DeskSchemaRegistry = Readonly<Record<CollectionName, CollectionSchemaEntry>>;

export const DESK_SCHEMA_REGISTRY: DeskSchemaRegistry = {
  import_batches: { version: 0, migrationStrategies: {}, indexes: ['importId'] },
  // v1: a rejection may say its reason as a code and values (says, params); a v0 document has neither and stays as it is.
  imports: { version: 1, migrationStrategies: { 1: (doc: ImportDoc) => doc }, indexes: [] },
  exceptions: { version: 0, migrationStrategies: {}, indexes: [] },
  comments: { version: 0, migrationStrategies: {}, indexes: ['subject.id'] },
  agreement_versions: { version: 0, migrationStrategies: {}, indexes: [] },
  mapping_profiles: { version: 0, migrationStrategies: {}, indexes: [] },
  classification_rules: { version: 0, migrationStrategies: {}, indexes: [] },
  settlement_runs: { version: 0, migrationStrategies: {}, indexes: [] },
  statements: { version: 0, migrationStrategies: {}, indexes: ['runId'] },
  approval_events: { version: 0, migrationStrategies: {}, indexes: ['statementId'] },
  audit_events: { version: 0, migrationStrategies: {}, indexes: [['chainId', 'seq']] },
};

type JsonObject = Record<string, unknown>;

/** A collection's document as IndexedDB holds it. */
export type StoredDocOf<C extends CollectionName> = C extends 'import_batches' ? StoredBatch : DocOf<C>;

/** RxDB wants a maxLength on the primary key; exception ids are `exc_` + 32 hex digits and have only a pattern. */
function withPrimaryKeyLength(properties: JsonObject): JsonObject {
  const id = properties.id as JsonObject | undefined;
  assert(id !== undefined && id.type === 'string', 'every replicated document has a string id');
  return { ...properties, id: { ...id, maxLength: typeof id.maxLength === 'number' ? id.maxLength : DOC_ID_CHARS_MAX } };
}

/** An import batch is stored with its columns as one JSON text (transactions.ts StoredBatch); every other field as on the wire. */
function batchStoredShape(properties: JsonObject, required: readonly string[]): { properties: JsonObject; required: string[] } {
  const { columns: _columns, ...rest } = properties;
  assert(_columns !== undefined && required.includes('columns'), 'a batch schema has its columns');
  return { properties: { ...rest, columnsJson: { type: 'string' } }, required: required.map((name) => (name === 'columns' ? 'columnsJson' : name)) };
}

/** RxDB's index strings need minimum, maximum and multipleOf on an indexed number (zod's int gives the first two). */
function withIndexedIntegers(properties: JsonObject, indexes: CollectionSchemaEntry['indexes']): JsonObject {
  const out = { ...properties };
  for (const field of indexes.flatMap((index) => (typeof index === 'string' ? [index] : [...index]))) {
    const property = out[field] as JsonObject | undefined;
    if (property?.type === 'integer') out[field] = { ...property, multipleOf: 1 };
  }
  return out;
}

/** The RxJSON schema of one collection as a registry entry describes it (default: the current registry). */
export function rxSchemaOf<C extends CollectionName>(collection: C, entry: CollectionSchemaEntry = DESK_SCHEMA_REGISTRY[collection]): RxJsonSchema<StoredDocOf<C>> {
  const json = z.toJSONSchema(COLLECTIONS[collection], { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonObject;
  const { $schema: _ignored, properties, required, ...rest } = json;
  assert(typeof properties === 'object' && properties !== null, 'a collection schema is an object schema', { collection });
  assert(Array.isArray(required) && required.includes('id'), 'the id is required', { collection });
  assert(Number.isSafeInteger(entry.version) && entry.version >= 0, 'a schema version is a whole number', { collection });
  for (let version = 1; version <= entry.version; version++) {
    assert(typeof entry.migrationStrategies[version] === 'function', 'every version after 0 has the strategy that migrates to it', { collection, version });
  }
  const stored = collection === 'import_batches' ? batchStoredShape(properties as JsonObject, required as string[]) : { properties: properties as JsonObject, required };
  return {
    ...rest,
    title: collection,
    version: entry.version,
    primaryKey: 'id',
    type: 'object',
    properties: withIndexedIntegers(withPrimaryKeyLength(stored.properties), entry.indexes),
    required: stored.required,
    indexes: entry.indexes.map((index) => (typeof index === 'string' ? index : [...index])),
  } as unknown as RxJsonSchema<StoredDocOf<C>>;
}

assert(COLLECTION_NAMES.length <= COLLECTIONS_MAX, 'the desk opens at most 12 collections: RxDB open-source refuses a 14th per process');
