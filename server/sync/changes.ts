import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { CollectionNameSchema, type CollectionName } from '../../core/sync/documents.ts';
import { changesChannel, type Db } from '../db/types.ts';

/**
 * Fan-out of document changes: one LISTEN per server process, whatever the number of open
 * streams, re-emitted in process per collection. Every process on the same database LISTENs,
 * so a change written through any of them reaches the streams of all of them.
 */
const ChangePayload = z.object({ collections: z.array(CollectionNameSchema).max(20) });

export interface ChangeFeed {
  on(collection: CollectionName, listener: () => void): () => void;
  close(): Promise<void>;
}

export async function startChangeFeed(db: Db, onBadPayload: (payload: string) => void): Promise<ChangeFeed> {
  const emitter = new EventEmitter();
  // Each open stream adds one listener; the bound is the process's connection limit, not 10.
  emitter.setMaxListeners(0);
  const stop = await db.listen(changesChannel(db), (payload) => {
    let parsed: z.infer<typeof ChangePayload>;
    try {
      parsed = ChangePayload.parse(JSON.parse(payload));
    } catch {
      onBadPayload(payload);
      return;
    }
    for (const collection of new Set(parsed.collections)) emitter.emit(collection);
  });
  return {
    on(collection, listener) {
      emitter.on(collection, listener);
      return () => emitter.off(collection, listener);
    },
    close: stop,
  };
}
