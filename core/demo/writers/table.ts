import { assert } from '../../assert.ts';
import type { Prng } from '../prng.ts';

/**
 * A CSV file as a header plus one-line records, so that duplicate rows can be injected and
 * their exact line numbers listed in the manifest.
 */
export interface CsvTable {
  readonly header: string;
  readonly rows: readonly { readonly text: string; readonly ref: string }[];
}

export interface InjectedDuplicate {
  readonly file: string;
  /** 1-based line of the repeated row, and of the row it repeats (the header is line 1). */
  readonly line: number;
  readonly duplicateOfLine: number;
  readonly reference: string;
}

/** Renders the table with `count` rows repeated right after themselves (a re-sent chunk of an export). */
export function renderWithDuplicates(prng: Prng, file: string, table: CsvTable, count: number): { text: string; duplicates: InjectedDuplicate[] } {
  assert(count >= 0 && count <= table.rows.length, 'cannot duplicate more rows than there are', { count, rows: table.rows.length });
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(prng.int(0, table.rows.length - 1));
  const lines = [table.header];
  const duplicates: InjectedDuplicate[] = [];
  table.rows.forEach((row, index) => {
    lines.push(row.text);
    if (chosen.has(index)) {
      lines.push(row.text);
      duplicates.push({ file, line: lines.length, duplicateOfLine: lines.length - 1, reference: row.ref });
    }
  });
  return { text: `${lines.join('\n')}\n`, duplicates };
}
