import { parseEcbRates, runSettlement, statementHash } from '../../core/settlement/index.ts';
import { row, agreementOf } from '../../core/settlement/testkit.ts';

/**
 * One settlement run with tiers, FX, fees and withholding, from the same pure core/ code in Node
 * and in the browser: both must produce byte-identical statements and so the same hashes.
 */
export function statementHashes(): string[] {
  const { table } = parseEcbRates('Date,USD,JPY,\n2026-03-02,1.0810,161.30,\n2026-03-03,1.0820,161.40,\n');
  const agreements = agreementOf({
    share: { tiers: [{ from: '0', to: '100', rate: '60' }, { from: '100', to: null, rate: '70' }], method: 'marginal' },
    platformFee: { basis: 'gross', rate: '5' },
    withholding: { ratesByJurisdiction: { DE: '10' } },
    fx: { rateDate: 'transaction-date', lookup: 'exact', route: 'via-base' },
    rounding: { mode: 'half-up', scope: 'line' },
  });
  const transactions = [
    row('sale', '120.00', { date: '2026-03-02' }),
    row('sale', '49.90', { currency: 'USD', date: '2026-03-03' }),
    row('refund', '-12.34', { date: '2026-03-03' }),
    row('sale', '3300', { currency: 'JPY', date: '2026-03-02', productId: 'gems' }),
  ];
  const partnerIds = [...new Set(agreements.map((version) => version.partnerId))];
  const result = runSettlement({ period: { start: '2026-03-01', end: '2026-03-31' }, partnerIds, agreements, transactions, rates: table });
  if (result.exceptions.length > 0) throw new Error(`scenario raised ${JSON.stringify(result.exceptions)}`);
  return result.statements.map(statementHash);
}
