import { openPg } from './pg.ts';
import { openPglite } from './pglite.ts';
import type { Db } from './types.ts';

/** DATABASE_URL wins; otherwise the embedded PGlite in the data folder, so the server needs nothing installed. */
export interface OpenDbOptions {
  readonly databaseUrl?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly schema?: string;
}

export function openDb(options: OpenDbOptions): Promise<Db> {
  const schema = options.schema ?? 'public';
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') return openPg({ connectionString: options.databaseUrl, schema });
  return openPglite({ ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }), schema });
}
