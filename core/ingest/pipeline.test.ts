import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImportContext, ParsedEntry, ParseOutput } from './importer.ts';
import { IdRegistry } from './id-registry.ts';
import { contentOf, finalizeImport } from './pipeline.ts';

const context: ImportContext = { fileName: 'statement.sta', sha256: 'f'.repeat(64), pseudonymize: (id) => `ps_${id}` };

function entry(line: number, amount: string, overrides: Partial<ParsedEntry> = {}): ParsedEntry {
  return {
    line,
    identity: { by: 'fingerprint', namespace: 'bank:NL01' },
    statementIndex: 0,
    kind: 'transfer',
    occurredAt: '2026-03-02',
    bookingDate: '2026-03-02',
    valueDate: '2026-03-02',
    amount,
    currency: 'EUR',
    account: 'NL01',
    partnerId: null,
    productId: null,
    channel: null,
    counterparty: { name: null, account: null },
    references: { externalId: null, batchId: null, endToEndId: null, bankReference: null },
    description: `line ${line}`,
    customerRef: null,
    raw: {},
    ...overrides,
  };
}

function output(entries: ParsedEntry[], opening: string | null, closing: string | null): ParseOutput {
  return {
    rowsRead: entries.length,
    entries,
    rejected: [],
    statements: [{ account: 'NL01', currency: 'EUR', statementId: '1', opening, closing, openingTag: '60F', closingTag: '62F', controlTotalsOk: null }],
    issues: [],
  };
}

describe('finalizeImport', () => {
  it('sums credits and debits exactly and checks the balance', () => {
    const result = finalizeImport(output([entry(3, '0.10'), entry(5, '0.20'), entry(7, '-0.05')], '1.00', '1.25'), context, 'mt940', 100);
    expect(result.statements[0]).toMatchObject({ credits: '0.30', debits: '0.05', entries: 3, balanced: true });
    expect(result.issues).toEqual([]);
  });

  it('reports a balance gap as an issue without refusing the file', () => {
    const result = finalizeImport(output([entry(3, '10.00')], '0.00', '9.99'), context, 'mt940', 100);
    expect(result.statements[0]?.balanced).toBe(false);
    expect(result.issues.map((issue) => issue.code)).toEqual(['balance_mismatch']);
    expect(result.transactions).toHaveLength(1);
  });

  it('keeps identical rows inside a file as distinct transactions and flags them', () => {
    const same = { description: 'coffee' };
    const result = finalizeImport(output([entry(3, '-2.50', same), entry(5, '-2.50', same)], null, null), context, 'mt940', 100);
    expect(result.transactions).toHaveLength(2);
    expect(new Set(result.transactions.map((tx) => tx.id)).size).toBe(2);
    expect(result.possibleDuplicates).toEqual([{ fingerprint: expect.any(String), lines: [3, 5] }]);
    expect(result.issues.map((issue) => issue.code)).toEqual(['possible_duplicate']);
  });

  it('gives the same ids on a second import, so overlaps count as duplicates', () => {
    const parsed = output([entry(3, '1.00'), entry(4, '2.00', { identity: { by: 'reference', namespace: 'stripe:acct', reference: 'txn_1' } })], null, null);
    const first = finalizeImport(parsed, context, 'mt940', 100);
    const known = new Map(first.transactions.map((tx) => [tx.id, { line: tx.source.line, sourceId: tx.source.sourceId }]));
    const second = finalizeImport(parsed, { ...context, sha256: 'e'.repeat(64) }, 'mt940', 100, known);
    expect(second.transactions).toEqual([]);
    expect(second.duplicates.map((d) => d.duplicateOf)).toEqual([
      { line: 3, sourceId: context.sha256 },
      { line: 4, sourceId: context.sha256 },
    ]);
  });

  describe('a repeated reference whose money differs is a conflict, never a silent duplicate', () => {
    const ref = (reference: string) => ({ identity: { by: 'reference' as const, namespace: 'camt:NL01', reference } });

    it('keeps both rows of one file: the first imported, the second set aside as a conflict naming the first', () => {
      // Line 3: +100.00 EUR, line 5: the same AcctSvcrRef with +10.00: 90.00 EUR would vanish if it were a duplicate.
      const result = finalizeImport(output([entry(3, '100.00', ref('R1')), entry(5, '10.00', ref('R1'))], null, null), context, 'camt.053', 100);
      expect(result.transactions.map((tx) => [tx.source.line, tx.amount])).toEqual([[3, '100.00']]);
      expect(result.duplicates).toEqual([]);
      expect(result.conflicts).toHaveLength(1);
      expect(result.conflicts[0]).toMatchObject({ line: 5, amount: '10.00', currency: 'EUR', conflictsWith: { line: 3, sourceId: context.sha256 } });
      expect(result.conflicts[0]?.transaction?.amount).toBe('10.00');
      expect(result.conflicts[0]?.transaction?.id).not.toBe(result.transactions[0]?.id);
      // read 2 = imported 1 + rejected 0 + duplicates 0 + conflicts 1
      expect(result.entriesRead).toBe(result.transactions.length + result.rejected.length + result.duplicates.length + result.conflicts.length);
    });

    it.each([
      ['the direction', { amount: '-100.00' }],
      ['the booking date', { bookingDate: '2026-03-03' }],
      ['the value date', { valueDate: '2026-03-04' }],
      ['the currency', { currency: 'USD' }],
    ])('flags a repeat that differs only in %s', (_what, change) => {
      const result = finalizeImport(output([entry(3, '100.00', ref('R1')), entry(5, '100.00', { ...ref('R1'), ...change })], null, null), context, 'camt.053', 100);
      expect(result.transactions).toHaveLength(1);
      expect(result.conflicts.map((conflict) => conflict.line)).toEqual([5]);
    });

    it('still takes an exact repeat for a duplicate, whatever the amount is written as', () => {
      // 100.0 and 100.00 EUR are the same money: 10000 minor units either way.
      const result = finalizeImport(output([entry(3, '100.00', ref('R1')), entry(5, '100.0', { ...ref('R1'), description: 'other text' })], null, null), context, 'camt.053', 100);
      expect(result.conflicts).toEqual([]);
      expect(result.duplicates.map((duplicate) => duplicate.line)).toEqual([5]);
    });

    it('finds the conflict against an earlier file of the run too', () => {
      const first = finalizeImport(output([entry(3, '100.00', ref('R1'))], null, null), context, 'camt.053', 100);
      const registry = new IdRegistry();
      for (const tx of first.transactions) registry.record(tx.id, { line: tx.source.line, sourceId: tx.source.sourceId, content: contentOf(tx) });
      const second = finalizeImport(output([entry(9, '99.99', ref('R1'))], null, null), { ...context, sha256: 'e'.repeat(64) }, 'camt.053', 100, registry);
      expect(second.transactions).toEqual([]);
      expect(second.conflicts).toMatchObject([{ line: 9, amount: '99.99', conflictsWith: { line: 3, sourceId: context.sha256 } }]);
    });
  });

  it('never calls a statement balanced when one of its entries was rejected', () => {
    // Opening 1.00 + 0.25 = 1.25 closing adds up over the imported entry, but line 5 (a rejected
    // entry of 0.00 or of anything) is missing from the sums: the balance proves nothing then.
    const parsed: ParseOutput = {
      ...output([entry(3, '0.25')], '1.00', '1.25'),
      rowsRead: 2,
      rejected: [{ line: 5, column: ':61:', code: 'amount_not_decimal', reason: 'bad amount', raw: ':61:...', statementIndex: 0 }],
    };
    const result = finalizeImport(parsed, context, 'mt940', 100);
    expect(result.statements[0]?.balanced).toBe(false);
    expect(result.issues.map((issue) => issue.code)).toEqual(['statement_incomplete']);
  });

  it('deduplicates an entry repeated by an overlapping statement inside one file, as across files', () => {
    // Statement 0 has the fee (line 3) and two identical coffees (lines 4, 5); statement 1 repeats
    // the fee and the first coffee (lines 9, 10). Imported: 3 (fee, coffee, coffee); duplicates: 2.
    const fee = { description: 'fee', statementIndex: 0 };
    const coffee = { description: 'coffee', statementIndex: 0 };
    const entries = [entry(3, '-1.50', fee), entry(4, '-2.50', coffee), entry(5, '-2.50', coffee), entry(9, '-1.50', { ...fee, statementIndex: 1 }), entry(10, '-2.50', { ...coffee, statementIndex: 1 })];
    const parsed: ParseOutput = {
      ...output(entries, null, null),
      statements: [
        { account: 'NL01', currency: 'EUR', statementId: '1', opening: null, closing: null, openingTag: null, closingTag: null, controlTotalsOk: null },
        { account: 'NL01', currency: 'EUR', statementId: '2', opening: null, closing: null, openingTag: null, closingTag: null, controlTotalsOk: null },
      ],
    };
    const result = finalizeImport(parsed, context, 'mt940', 100);
    expect(result.transactions.map((tx) => tx.source.line)).toEqual([3, 4, 5]);
    expect(result.duplicates.map((duplicate) => [duplicate.line, duplicate.duplicateOf.line])).toEqual([
      [9, 3],
      [10, 4],
    ]);
    // The two coffees of statement 0 are still flagged for a person, once.
    expect(result.possibleDuplicates.map((group) => group.lines)).toEqual([[4, 5]]);
  });

  it('refuses a parser output that lost a row', () => {
    const broken = { ...output([entry(3, '1.00')], null, null), rowsRead: 2 };
    expect(() => finalizeImport(broken, context, 'mt940', 100)).toThrowError(expect.objectContaining({ code: 'invariant_broken' }));
  });

  it('accounts for every row whatever the mix of repeats', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('1.00', '-1.00', '2.50'), fc.constantFrom('a', 'b')), { maxLength: 40 }), (rows) => {
        const entries = rows.map(([amount, description], index) => entry(index + 1, amount, { description }));
        const result = finalizeImport(output(entries, null, null), context, 'mt940', 100);
        expect(result.transactions.length + result.duplicates.length + result.rejected.length).toBe(rows.length);
        expect(result.transactions).toHaveLength(rows.length);
      }),
    );
  });
});
