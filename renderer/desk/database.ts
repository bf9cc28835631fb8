import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { assert } from '../../core/assert.ts';
import { COLLECTION_NAMES, COLLECTIONS_MAX, type CollectionName } from '../../core/sync/documents.ts';
import { conflictHandlerFor } from './conflicts.ts';
import { DESK_SCHEMA_REGISTRY, rxSchemaOf, type DeskSchemaRegistry, type StoredDocOf } from './schemas.ts';

/**
 * Opens the desk's RxDB database over Dexie (IndexedDB). Node tests pass fake-indexeddb's
 * indexedDB and IDBKeyRange; Chromium uses its own. The Dexie storage logs RxDB's one-time
 * "Open Core RxStorage" notice on first use: expected, not an error.
 *
 * RxDB's open-source build refuses a 14th open collection per process (all databases
 * together), so a process holds one full desk (11 collections); tests that run two desks in one
 * process open only the collections they need (`collections`).
 */
export interface DeskStorageOptions {
  readonly name: string;
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
  readonly collections?: readonly CollectionName[];
  readonly userId: string;
  /** Schema versions and migration strategies; tests of a migration pass a later registry. */
  readonly schemaRegistry?: DeskSchemaRegistry;
}

export type DeskCollections = { [C in CollectionName]?: RxCollection<StoredDocOf<C>> };

let pluginsAdded = false;

function addPlugins(): void {
  if (pluginsAdded) return;
  addRxPlugin(RxDBLocalDocumentsPlugin);
  addRxPlugin(RxDBMigrationSchemaPlugin);
  pluginsAdded = true;
}

export function dexieStorage(options: Pick<DeskStorageOptions, 'indexedDB' | 'IDBKeyRange'>) {
  return getRxStorageDexie(options.indexedDB === undefined ? {} : { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange });
}

export async function openDeskDatabase(options: DeskStorageOptions): Promise<{ readonly db: RxDatabase; readonly collections: DeskCollections }> {
  addPlugins();
  const names = options.collections ?? COLLECTION_NAMES;
  const registry = options.schemaRegistry ?? DESK_SCHEMA_REGISTRY;
  assert(names.length > 0 && names.length <= COLLECTIONS_MAX, 'a desk opens between 1 and 12 collections', { count: names.length });
  const db = await createRxDatabase({ name: options.name, storage: dexieStorage(options), multiInstance: false, localDocuments: true, closeDuplicates: true });
  try {
    const creators = Object.fromEntries(
      names.map((name) => [name, { schema: rxSchemaOf(name, registry[name]), migrationStrategies: registry[name].migrationStrategies, conflictHandler: conflictHandlerFor(name, options.userId) }]),
    );
    const collections = (await db.addCollections(creators)) as unknown as DeskCollections;
    return { db, collections };
  } catch (error) {
    await db.close();
    throw error;
  }
}
