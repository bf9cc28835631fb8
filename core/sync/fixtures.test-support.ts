import { createException } from '../exceptions/model.ts';
import { settle } from '../settlement/testkit.ts';
import { canonicalTx } from '../settlement/testkit.ts';
import type { ExceptionDoc, StatementDoc } from './documents.ts';
import { statementDocOf } from './statement-doc.ts';

/**
 * Test support (no production caller): small valid sync documents for core/sync and server tests.
 */
export const T0 = '2026-03-01T09:00:00Z';

export function exceptionDocFixture(key = 'tx_1', by = 'ana'): ExceptionDoc {
  const record = createException(
    { type: 'unmatched', key: ['bank', key], severity: 'medium', title: `bank line ${key} unmatched`, amountAtRisk: { amount: '120.50', currency: 'EUR' }, partnerId: 'p', period: '2026-02', sourceRefs: [{ kind: 'transaction', id: key, line: null }] },
    T0,
  );
  return { ...record, updatedBy: by, conflicts: [] };
}

/** A real statement from the settlement engine: 70 % of 100.00 + 50.00 in sales = 105.00 payable. */
export function statementDocFixture(id = 'st_p_2026-01', blockReasons: readonly string[] = [], createdBy = 'ana'): StatementDoc {
  const statement = settle({ share: { rate: '70' } }, [
    canonicalTx({ id: 'a1', partnerId: 'p', kind: 'sale', amount: '100.00', currency: 'EUR', occurredAt: '2026-01-05', productId: 'game' }),
    canonicalTx({ id: 'a2', partnerId: 'p', kind: 'sale', amount: '50.00', currency: 'EUR', occurredAt: '2026-01-06', productId: 'game' }),
  ]);
  return statementDocOf(statement, { id, runId: 'run_2026-01_0', blockReasons, createdBy, createdAt: T0 });
}
