import { assert } from '../../core/assert.ts';
import type { Db, Queryable } from '../db/types.ts';

/**
 * Monthly partitions of `transactions`, made on first use. A month is `YYYY-MM-01`; its
 * partition is `transactions_yYYYYmMM`, named from checked digits only.
 */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])-01$/;

function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  return index === 12 ? `${String(year + 1).padStart(4, '0')}-01-01` : `${month.slice(0, 5)}${String(index + 1).padStart(2, '0')}-01`;
}

export function partitionName(month: string): string {
  const match = MONTH.exec(month);
  assert(match !== null, 'a partition month is YYYY-MM-01', { month });
  return `transactions_y${match[1]}m${match[2]}`;
}

/** Makes the partitions of the given months that do not exist yet; returns the names it made. */
export async function ensureMonthPartitions(tx: Queryable, months: Iterable<string>): Promise<string[]> {
  const made: string[] = [];
  for (const month of [...new Set(months)].sort()) {
    const name = partitionName(month);
    const { rows } = await tx.query<{ found: string | null }>('select to_regclass($1)::text as found', [name]);
    if (rows[0]?.found !== null && rows[0]?.found !== undefined) continue;
    await tx.exec(`create table ${name} partition of transactions for values from ('${month}') to ('${nextMonth(month)}')`);
    made.push(name);
  }
  return made;
}

/**
 * Makes the months' missing partitions in a transaction of its own, before an import's: making a
 * partition waits for every open transaction that wrote into `transactions`, and a JSON batch
 * COPYs its rows there before it waits for the ingest lock (store.ts), so an import making one
 * under that lock would wait for a batch waiting for it. Makers take turns on the table's share
 * update exclusive lock, which no reader or writer waits for; taking it also makes the second
 * maker see the partition the first made (its lookup was cached before the first committed).
 */
export async function preparePartitions(db: Db, months: Iterable<string>): Promise<void> {
  const wanted = [...new Set(months)];
  if (wanted.length === 0) return;
  const { rows } = await db.query<{ missing: number }>('select count(*)::int as missing from unnest($1::text[]) as name where to_regclass(name) is null', [wanted.map(partitionName)]);
  if (rows[0]?.missing === 0) return;
  await db.transaction(async (tx) => {
    await tx.exec('lock table transactions in share update exclusive mode');
    await ensureMonthPartitions(tx, wanted);
  });
}
