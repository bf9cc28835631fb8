import type { CsvProfileInput } from '../../core/importers/csv-profile.ts';

/** The column layout every CSV bench generates, and the mapping profile that reads it. */
export const BENCH_CSV_HEADER = 'ref,date,type,amount,currency,partner,product,channel';

export const BENCH_CSV_PROFILE = {
  name: 'bench',
  delimiter: ',',
  date: { format: 'YYYY-MM-DD' },
  sign: { convention: 'signed', column: 'amount' },
  currency: { column: 'currency' },
  kind: { column: 'type', values: { sale: 'sale', refund: 'refund' } },
  columns: { date: 'date', partner: 'partner', product: 'product', channel: 'channel' },
  id: { policy: 'reference', column: 'ref' },
} satisfies CsvProfileInput;
