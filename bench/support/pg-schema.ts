import pg from 'pg';

/** Drops a bench's own schema (bench_<random>) from PostgreSQL once the bench is done with it. */
export async function dropBenchSchema(connectionString: string, schema: string): Promise<void> {
  if (!/^bench_[a-z0-9_]+$/.test(schema)) throw new Error(`not a bench schema: ${schema}`);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
