import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEDGER_EXPECTED_PAYOUT } from '../core/importers/ledger-csv.ts';
import { loadTransactions, transactionReading, utf8FileHash } from './load-transactions.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'utf8-file-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The file's chunks are 1 MiB: `at` bytes of ASCII, then `tail`. */
function fileOf(name: string, at: number, tail: readonly number[]): string {
  const file = path.join(dir, name);
  const bytes = new Uint8Array(at + tail.length).fill(0x61);
  bytes.set(tail, at);
  writeFileSync(file, bytes);
  return file;
}

const MIB = 1024 * 1024;

describe('utf8FileHash', () => {
  it('takes a sequence cut by a chunk end at every point, and hashes the whole file', () => {
    // 'é' (2 bytes), '€' (3), '😀' (4), each starting 1-3 bytes before the chunk ends.
    for (const sequence of [[0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80]])
      for (let before = 1; before < sequence.length; before++) {
        const file = fileOf(`cut-${sequence.length}-${before}.csv`, MIB - before, [...sequence, 0x0a]);
        const bytes = new Uint8Array(MIB - before + sequence.length + 1).fill(0x61);
        bytes.set([...sequence, 0x0a], MIB - before);
        expect(utf8FileHash(file)).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length });
      }
  });

  it('refuses a file that is not UTF-8 throughout', () => {
    // A Latin-1 'é' alone; an overlong '€' cut by the chunk end; a surrogate; a file ending inside a sequence; a stray continuation byte.
    expect(utf8FileHash(fileOf('latin1.csv', 10, [0xe9, 0x61, 0x0a]))).toBeNull();
    expect(utf8FileHash(fileOf('overlong.csv', MIB - 1, [0xe0, 0x82, 0xac]))).toBeNull();
    expect(utf8FileHash(fileOf('surrogate.csv', MIB - 2, [0xed, 0xa0, 0x80]))).toBeNull();
    expect(utf8FileHash(fileOf('ends-cut.csv', MIB + 5, [0xe2, 0x82]))).toBeNull();
    expect(utf8FileHash(fileOf('continuation.csv', MIB, [0x80, 0x61]))).toBeNull();
    expect(utf8FileHash(fileOf('fine.csv', MIB, [0xc3, 0xa9]))).not.toBeNull();
  });
});

describe('the scanned ledger CSV (reconcile: lean, one raw column kept)', () => {
  it('gives each amount as written, the same as the profile mapper, however one value is written', () => {
    // 150 minor units as 1.5 and 1.50; -50 as -0.5 and -0.50; 1379 as 13.79 EUR and 1.379 KWD; a negative zero.
    const amounts = [['1.5', 'EUR'], ['1.50', 'EUR'], ['1.5', 'EUR'], ['-0.5', 'EUR'], ['-0.50', 'EUR'], ['13.79', 'EUR'], ['1.379', 'KWD'], ['13.79', 'EUR'], ['-0.00', 'EUR'], ['0.00', 'EUR'], ['100', 'JPY'], ['1.00', 'EUR']];
    const file = path.join(dir, 'ledger.csv');
    writeFileSync(file, ['id,date,kind,amount,currency,partner,product,external_reference,expected_payout', ...amounts.map(([amount, currency], index) => `L-${index},2026-03-02,sale,${amount},${currency},P1,G1,ch_${index},po_A`)].join('\n') + '\n');
    const scanned = loadTransactions([file], { ...transactionReading({}), rawKept: new Set([LEDGER_EXPECTED_PAYOUT]), lean: true }).transactions;
    const mapped = loadTransactions([file], transactionReading({})).transactions;
    const expected = ['1.5', '1.50', '1.5', '-0.5', '-0.50', '13.79', '1.379', '13.79', '0.00', '0.00', '100', '1.00'];
    expect(scanned.map((tx) => tx.amount)).toEqual(expected);
    expect(mapped.map((tx) => tx.amount)).toEqual(expected);
  });
});
