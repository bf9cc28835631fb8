import { assert } from '../../core/assert.ts';
import type { Queryable } from '../db/types.ts';

/**
 * Monthly partitions of `transactions`, made on first use inside the importing transaction
 * (which holds the ingest lock, so two imports never race to make the same month). A month is
 * `YYYY-MM-01`; its partition is `transactions_yYYYYmMM`, named from checked digits only.
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
