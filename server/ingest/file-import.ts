import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';
import { TEXT_ENCODINGS } from '../../core/ingest/decode.ts';
import { importFile, type ImportFileOptions } from '../../core/ingest/import-file.ts';
import { IMPORT_FORMATS } from '../../core/ingest/importer.ts';
import type { KnownIds } from '../../core/ingest/pipeline.ts';
import type { ImportResult } from '../../core/ingest/result.ts';
import { IMPORTERS } from '../../core/importers/registry.ts';
import { MappingProfileDoc } from '../../core/sync/documents.ts';
import { DocId } from '../../core/sync/primitives.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';

/**
 * A file feed goes through core's importers and pipeline exactly as a desk's import does: the
 * format sniffed or named, a CSV read with a mapping profile (a replicated mapping_profiles
 * document, named by id), every row accounted for. A file core refuses whole is a 422 naming the
 * reason and, where known, the line and column.
 */
export const FileImportQuery = z.strictObject({
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  fileName: z.string().min(1).max(255).regex(/^[^\u0000-\u001f/\\]+$/, 'expected a file name without path or control characters'),
  format: z.enum([...IMPORT_FORMATS, 'auto']).default('auto'),
  encoding: z.enum([...TEXT_ENCODINGS, 'auto']).default('auto'),
  profile: DocId.optional(),
});
export type FileImportQuery = z.infer<typeof FileImportQuery>;

const PSEUDONYM_KEY_NAME = 'pseudonym_hmac';

/** The server's key for pseudonymizing end-customer identifiers, made once and shared by every server process. */
export async function loadPseudonymKey(db: Queryable): Promise<string> {
  await db.query('insert into server_secrets (name, value) values ($1, $2) on conflict (name) do nothing', [PSEUDONYM_KEY_NAME, randomBytes(32).toString('base64url')]);
  const { rows } = await db.query<{ value: string }>('select value from server_secrets where name = $1', [PSEUDONYM_KEY_NAME]);
  return z.string().min(43).parse(rows[0]?.value);
}

/** The CSV mapping profile a feed names, from the replicated mapping profiles. */
export async function loadMappingProfile(db: Queryable, id: string): Promise<unknown> {
  const { rows } = await db.query<{ body: unknown }>("select body from sync_documents where collection = 'mapping_profiles' and id = $1 and not deleted", [id]);
  if (rows[0] === undefined) throw new HttpError(422, 'import_refused', `no mapping profile ${id}`, { reason: 'profile_unknown', profile: id });
  return MappingProfileDoc.parse(rows[0].body).profile;
}

export interface FileFeed {
  readonly bytes: Uint8Array;
  readonly query: FileImportQuery;
  readonly profile: unknown;
  readonly pseudonymKey: string;
}

/** Core's import of the file against the given known ids; a file refused whole becomes a 422 import_refused. */
export function importFeedFile(feed: FileFeed, knownIds: KnownIds = new Map()): ImportResult {
  const options: ImportFileOptions = {
    format: feed.query.format,
    encoding: feed.query.encoding,
    pseudonymization: { mode: 'hmac', key: feed.pseudonymKey },
    knownIds,
    ...(feed.profile === undefined ? {} : { importerOptions: feed.profile }),
  };
  try {
    return importFile(IMPORTERS, feed.bytes, feed.query.fileName, options);
  } catch (error) {
    if (!(error instanceof SettleDeskError) || error.code === 'invariant_broken') throw error;
    throw new HttpError(422, 'import_refused', error.message, { reason: error.code, ...error.location });
  }
}
