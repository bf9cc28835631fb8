/**
 * One JSON batch feed body (POST /api/v1/imports/batch) of the ingest benches: `rows` canonical
 * transactions in core's compact columns, numbered from chunk * rows, over `months` month
 * partitions from March 2026. Amounts, dates, partners and products repeat as a PSP export's do.
 */
export function batchPayload(chunk: number, rows: number, months: number): string {
  const ids: string[] = [];
  const amounts: string[] = [];
  const dates: string[] = [];
  const kinds: string[] = [];
  const partners: string[] = [];
  const products: string[] = [];
  const refs: string[][] = [];
  for (let row = 0; row < rows; row++) {
    const index = chunk * rows + row;
    ids.push(`psp.ch_${index}`);
    amounts.push(index % 10 === 0 ? `-${index % 500}.${String(index % 100).padStart(2, '0')}` : `${index % 5000}.${String(index % 100).padStart(2, '0')}`);
    dates.push(`2026-${String((((index % months) + 2) % 12) + 1).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')}`);
    kinds.push(index % 10 === 0 ? 'refund' : 'sale');
    partners.push(`studio-${index % 25}`);
    products.push(`game-${index % 40}`);
    refs.push([`ch_${index}`]);
  }
  const none = ids.map(() => null);
  return JSON.stringify({
    source: { sourceId: 'psp-bench', format: 'psp-json', fileName: `bench-${chunk}.json` },
    columns: {
      id: ids, line: ids.map((_, row) => row + 1), kind: kinds, occurredAt: dates, bookingDate: dates, valueDate: none, amount: amounts, currency: ids.map(() => 'EUR'),
      account: none, partnerId: partners, productId: products, channel: ids.map(() => 'app'), counterpartyName: none, counterpartyAccount: none, externalId: refs.map((ref) => ref[0] ?? null),
      batchId: none, endToEndId: none, bankReference: none, description: none, customerRef: none, rawNames: ['ref'], rawValues: refs,
    },
  });
}
