import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exceptionsFromReconcile } from '../../../core/exceptions/from-reconcile.ts';
import { readBai2 } from '../../../core/importers/bai2.ts';
import { camt053Importer } from '../../../core/importers/camt.ts';
import { parseMt940 } from '../../../core/importers/mt940.ts';
import { IMPORTERS } from '../../../core/importers/registry.ts';
import { importFile } from '../../../core/ingest/import-file.ts';
import { streamOfx } from '../../../core/importers/ofx.ts';
import { exactAmount, isProblem } from '../../../core/importers/row-values.ts';
import { AMOUNT_FORMATS, type AmountFormatName } from '../../../core/money/parse.ts';
import { reconcile } from '../../../core/reconcile/reconcile.ts';
import { makeTx } from '../../../core/reconcile/test-support.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../i18n/text-tree.test-support.ts';
import { reviewEn } from './texts-en.ts';
import { reviewKo } from './texts-ko.ts';

describe('review texts', () => {
  const english = leaves(reviewEn);
  const korean = leaves(reviewKo);

  it('Korean has every English key with the same placeholders', () => {
    expectSameKeysAndPlaceholders(english, korean);
  });

  it('names every fact of a grouped unmatched exception in both languages', () => {
    const bank = [makeTx({ id: 'b1', amount: '-25.50', date: '2026-03-04', kind: 'transfer' }), makeTx({ id: 'b2', amount: '100.00', date: '2026-03-04', kind: 'transfer' })];
    const [grouped] = exceptionsFromReconcile(reconcile({ internal: [], psp: [], bank }), bank, '2026-03-06T00:00:00Z', { groupUnmatchedAbove: 1 }).filter((each) => each.details.grouped === 'day');
    const keys = Object.keys(grouped?.details ?? {});
    expect(keys).toEqual(['side', 'grouped', 'account', 'currency', 'date', 'count', 'net', 'gross', 'partners']);
    const named = (tree: Map<string, string>) => keys.filter((key) => !tree.has(`exceptions.detail.factNames.${key}`));
    expect([named(english), named(korean)]).toEqual([[], []]);
  });

  it('names every value an unreadable amount\'s rejection brings to its exception\'s facts, in both languages', () => {
    const cells: [string, AmountFormatName][] = [['x'.repeat(65), 'plain'], ['1,2,3', 'plain-comma'], ['1.234.5', 'de']];
    // core/exceptions/from-import keeps a rejection's says and params among its facts.
    const problems = cells.map(([text, format]) => exactAmount(text, AMOUNT_FORMATS[format], 'Betrag')).filter(isProblem);
    const keys = [...new Set(problems.flatMap((problem) => ['says', ...Object.keys(problem.params ?? {})]))].sort();
    expect(keys).toEqual(['columnName', 'decimalSeparator', 'groupSeparators', 'max', 'problem', 'says', 'value']);
    const named = (tree: Map<string, string>) => keys.filter((key) => !tree.has(`exceptions.detail.factNames.${key}`));
    expect([named(english), named(korean)]).toEqual([[], []]);
  });

  it('names every value a bank statement entry\'s rejection brings to its exception\'s facts, in both languages', () => {
    const camt = readFileSync(new URL('../../../core/importers/fixtures/camt/camt053-v02-bad-entries.xml', import.meta.url), 'utf8');
    const ofx = readFileSync(new URL('../../../core/importers/fixtures/ofx/ofx-bad-entries.ofx', import.meta.url), 'utf8');
    const context = { fileName: 'bank', sha256: 'e'.repeat(64), pseudonymize: (id: string) => id };
    const rejected = [...camt053Importer.parse(camt, context, undefined).rejected, ...streamOfx(ofx, 'bank.ofx', () => undefined).rejected];
    const keys = [...new Set(rejected.flatMap((rejection) => ['says', ...Object.keys(rejection.params ?? {})]))].sort();
    expect(keys).toEqual(['currency', 'decimalSeparator', 'digits', 'element', 'groupSeparators', 'problem', 'says', 'value']);
    const named = (tree: Map<string, string>) => keys.filter((key) => !tree.has(`exceptions.detail.factNames.${key}`));
    expect([named(english), named(korean)]).toEqual([[], []]);
  });

  it('names every value an MT940 or BAI2 rejection (or a guessed code page\'s) brings to its exception\'s facts, in both languages', () => {
    const entries = [':61:240101X1,00NTRFNONREF', ':61:240101C1,2,3NTRFNONREF', ':61:240101C1,005NTRFNONREF', ':61:240101C1234567890123,45NTRFNONREF', '61:240101C1,NTRFLOST'];
    const mt940 = parseMt940(`:20:T\n:25:A\n:60F:C240101EUR0,\n${entries.join('\n')}\n:62F:C240101EUR0,\n`, 'x.sta').rejected;
    const bai2 = readBai2('01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD/\n17,175,100,,,,X/\n49,,/\n98,,,/\n99,,,/', 'x.bai2').output.rejected;
    // An entry whose reference holds a character read in a guessed code page (core/ingest/decode.ts).
    const fixture = new Uint8Array(readFileSync(new URL('../../../core/importers/fixtures/mt940-issue14/reference-not-utf8.sta', import.meta.url)));
    const guessed = importFile(IMPORTERS, fixture, 'x.sta', { format: 'auto', pseudonymization: { mode: 'off' } }).rejected;
    const keys = [...new Set([...mt940, ...bai2, ...guessed].flatMap((rejection) => ['says', ...Object.keys(rejection.params ?? {})]))].sort();
    expect(keys).toEqual(['account', 'currency', 'decimalSeparator', 'digits', 'encoding', 'max', 'near', 'problem', 'record', 'says', 'tag', 'value']);
    const named = (tree: Map<string, string>) => keys.filter((key) => !tree.has(`exceptions.detail.factNames.${key}`));
    expect([named(english), named(korean)]).toEqual([[], []]);
  });

  it('Korean sentences are written in Hangul', () => {
    expect(latinOnlyKeys(korean, ['settlements.hashLabel'])).toEqual([]);
  });
});
