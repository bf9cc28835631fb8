import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { RowQueryError, RowStore, type RowPage, type RowQuery } from './row-store.ts';

/**
 * The worker's side of the Transactions grid: one row store per engine, and its queries run one
 * at a time, yielding to the worker's message loop between steps. A query arriving for the same
 * view with other filters or sort makes the older one give up at its next step
 * (row_query_superseded): typing in the quick filter costs one filtering pass, not one per key.
 * Blocks of the same filters run after the first and find its result cached.
 */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class RowQueries {
  readonly store = new RowStore();
  private readonly latest = new Map<string, string>();
  private tail: Promise<unknown> = Promise.resolve();

  add(transactions: Iterable<CanonicalTransaction>): number {
    this.store.add(transactions);
    return this.store.size;
  }

  reset(): number {
    this.store.clear();
    return 0;
  }

  /** Called as the query arrives (before any older one resumes), so the older one sees it is superseded. */
  query(input: RowQuery & { readonly view: string }): Promise<RowPage> {
    const { view, startRow: _start, endRow: _end, ...filters } = input;
    const signature = JSON.stringify(filters);
    this.latest.set(view, signature);
    const superseded = () => this.latest.get(view) !== signature;
    const run = async (): Promise<RowPage> => {
      if (superseded()) throw new RowQueryError('row_query_superseded', 'a newer query replaced this one');
      const steps = this.store.query(input);
      for (;;) {
        const next = steps.next();
        if (next.done === true) return next.value;
        await nextTask();
        if (superseded()) throw new RowQueryError('row_query_superseded', 'a newer query replaced this one');
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
