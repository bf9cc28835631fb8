import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.ts';

/**
 * settle and journal never exit 0 over money they left out, write statements only inside --out
 * under names that cannot meet, and refuse bad agreements with a located, typed error.
 */
const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'settle');
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-settle-trust-'));
const stripe = ['--transactions', path.join(FIXTURE, 'stripe-march.csv'), '--fx-rates', path.join(FIXTURE, 'ecb-rates.csv')];
const agreements = ['--agreements', path.join(FIXTURE, 'agreements.json')];
const rules = ['--rules', path.join(FIXTURE, 'rules.json')];

interface Balance {
  partner: string | null;
  currency: string;
  count: number;
  sum: string;
}
interface SettleJson {
  unsettled: { noPartner: Balance[]; noAgreement: Balance[]; periodEmpty: boolean; agreementsEmpty: boolean };
  statements: { partnerId: string; payable: string }[];
  written: { partnerId: string; file: string }[];
  inputs: { rejected: { line: number; column: string | null; code: string }[] }[];
}
interface ErrorJson {
  error: { code: string; file?: string; line?: number; column?: number | string; message: string };
}

const agreement = (partnerId: string) => ({
  agreementId: `AGR-${partnerId}`,
  partnerId,
  version: 1,
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  partnerJurisdiction: 'NL',
  settlementCurrency: 'EUR',
  terms: { share: { rate: '50' } },
});

describe('settle lists the money it leaves out and exits 1', () => {
  it('without --rules every sale and refund has no partner: listed per currency, exit 1, and 0 only with --allow-unsettled', () => {
    const run = runCli(['settle', ...agreements, ...stripe, '--period', '2026-03', '--json']);
    expect(run.status).toBe(1);
    // Stripe sales and refunds of March by booking date (their fees are no partner's revenue; the April sale is out):
    // EUR 100.00 + 19.99 - 25.00 + 9.99 + 0.01 = 104.99 (5); JPY 1200 + 3300 - 1200 = 3300 (3); USD 49.90 (1).
    expect(run.json<SettleJson>().unsettled.noPartner).toEqual([
      { partner: null, currency: 'EUR', count: 5, sum: '104.99' },
      { partner: null, currency: 'JPY', count: 3, sum: '3300' },
      { partner: null, currency: 'USD', count: 1, sum: '49.90' },
    ]);
    const human = runCli(['settle', ...agreements, ...stripe, '--period', '2026-03']);
    expect(human.stdout).toContain('UNSETTLED no partner: 5 transactions, 104.99 EUR');
    const allowed = runCli(['settle', ...agreements, ...stripe, '--period', '2026-03', '--allow-unsettled', '--json']);
    expect(allowed.status).toBe(0);
    expect(allowed.json<SettleJson>().unsettled.noPartner).toHaveLength(3);
  });

  it('a partner no agreement covers is listed with its money', () => {
    const onlyNord = path.join(dir, 'only-nord.json');
    const all = JSON.parse(readFileSync(path.join(FIXTURE, 'agreements.json'), 'utf8')) as { partnerId: string }[];
    writeFileSync(onlyNord, JSON.stringify(all.filter((version) => version.partnerId === 'studio-nord')));
    const run = runCli(['settle', '--agreements', onlyNord, ...stripe, ...rules, '--period', '2026-03', '--json']);
    expect(run.status).toBe(1);
    // studio-hana's sales and refunds: JPY 1200 + 3300 - 1200 = 3300 (3); EUR 9.99 (1).
    expect(run.json<SettleJson>().unsettled.noAgreement).toEqual([
      { partner: 'studio-hana', currency: 'EUR', count: 1, sum: '9.99' },
      { partner: 'studio-hana', currency: 'JPY', count: 3, sum: '3300' },
    ]);
    // Naming only studio-nord is a choice: nothing is missing.
    expect(runCli(['settle', '--agreements', onlyNord, ...stripe, ...rules, '--period', '2026-03', '--partner', 'studio-nord', '--json']).status).toBe(0);
  });

  it('an empty agreements folder and a period without transactions exit 1', () => {
    const empty = path.join(dir, 'no-agreements');
    mkdirSync(empty);
    const none = runCli(['settle', '--agreements', empty, ...stripe, ...rules, '--period', '2026-03', '--json']);
    expect(none.status).toBe(1);
    expect(none.json<SettleJson>().unsettled).toMatchObject({ agreementsEmpty: true, periodEmpty: false });
    const may = runCli(['settle', ...agreements, ...stripe, ...rules, '--period', '2026-05', '--json']);
    expect(may.status).toBe(1);
    expect(may.json<SettleJson>().unsettled).toMatchObject({ periodEmpty: true, noPartner: [], noAgreement: [] });
    expect(runCli(['settle', ...agreements, ...stripe, ...rules, '--period', '2026-05', '--allow-unsettled']).status).toBe(0);
  });

  it('the hand-checked month with its rules is clean', () => {
    const run = runCli(['settle', ...agreements, ...stripe, ...rules, '--period', '2026-03', '--json']);
    expect(run.status).toBe(0);
    expect(run.json<SettleJson>().unsettled).toEqual({ noPartner: [], noAgreement: [], periodEmpty: false, agreementsEmpty: false });
  });
});

describe('statements are written inside --out, one file per partner', () => {
  const partners = ['../../escaped', 'a/b', 'a_b', 'Studio', 'studio', '.hidden', 'nul'];
  const month = path.join(dir, 'names');
  mkdirSync(month);
  writeFileSync(path.join(month, 'agreements.json'), JSON.stringify(partners.map(agreement)));
  writeFileSync(
    path.join(month, 'profile.json'),
    JSON.stringify({ name: 'shop', delimiter: ',', date: { format: 'YYYY-MM-DD' }, sign: { convention: 'signed', column: 'amount' }, currency: { column: 'currency' }, kind: { column: 'type', values: { sale: 'sale' } }, columns: { date: 'date', partner: 'partner' }, id: { policy: 'reference', column: 'ref' } }),
  );
  // Partner i sells (i + 1) x 10.00 EUR: its payable at 50 % is (i + 1) x 5.00.
  const rows = ['ref,date,type,amount,currency,partner', ...partners.map((partner, index) => `r${index},2026-03-10,sale,${(index + 1) * 10}.00,EUR,"${partner}"`)];
  writeFileSync(path.join(month, 'shop.csv'), `${rows.join('\n')}\n`);
  const out = path.join(month, 'deep', 'out');

  it('sanitizes names, keeps them inside --out, and never lets two partners share a file', () => {
    const run = runCli(['settle', '--agreements', path.join(month, 'agreements.json'), '--transactions', path.join(month, 'shop.csv'), '--profile', path.join(month, 'profile.json'), '--period', '2026-03', '--out', out, '--json']);
    expect(run.status).toBe(0);
    expect(existsSync(path.join(month, 'escaped.statement.json'))).toBe(false);
    const names = readdirSync(out).filter((name) => name.endsWith('.statement.json'));
    expect(names).toHaveLength(partners.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.statement\.json$/);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(partners.length);
    // Each file holds its own partner's statement.
    const byPartner = new Map(names.map((name) => {
      const { statement } = JSON.parse(readFileSync(path.join(out, name), 'utf8')) as { statement: { partnerId: string; totals: { payable: string } } };
      return [statement.partnerId, statement.totals.payable] as const;
    }));
    expect([...byPartner.entries()].sort()).toEqual(partners.map((partner, index) => [partner, `${(index + 1) * 5}.00`]).sort());
    expect(names).toContain('a_b.statement.json');
    expect(run.json<SettleJson>().written.find((entry) => entry.partnerId === 'a_b')?.file).toBe(path.join(out, 'a_b.statement.json'));
  });
});

describe('journal reports rejected rows and exits 1 like settle', () => {
  it('names the rejected row on stderr and in --json, and exits 1', () => {
    const folder = path.join(dir, 'journal-rejected');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'agreements.json'), JSON.stringify([agreement('studio-a')]));
    writeFileSync(path.join(folder, 'profile.json'), JSON.stringify({ name: 'shop', delimiter: ',', date: { format: 'YYYY-MM-DD' }, sign: { convention: 'signed', column: 'amount' }, currency: { column: 'currency' }, kind: { column: 'type', values: { sale: 'sale' } }, columns: { date: 'date', partner: 'partner' }, id: { policy: 'reference', column: 'ref' } }));
    writeFileSync(path.join(folder, 'shop.csv'), 'ref,date,type,amount,currency,partner\nr1,2026-03-10,sale,10.00,EUR,studio-a\nr2,2026-03-32,sale,99.00,EUR,studio-a\n');
    const args = ['journal', '--agreements', path.join(folder, 'agreements.json'), '--transactions', path.join(folder, 'shop.csv'), '--profile', path.join(folder, 'profile.json'), '--period', '2026-03'];
    const human = runCli(args);
    expect(human.status).toBe(1);
    expect(human.stderr).toMatch(/REJECTED .*shop\.csv:3:date: /);
    const json = runCli([...args, '--json']);
    expect(json.status).toBe(1);
    expect(json.json<SettleJson>().inputs[0]?.rejected).toEqual([expect.objectContaining({ line: 3, column: 'date' })]);
  });
});

describe('agreement errors are typed and located', () => {
  it('"rate": "55%" names the file and the path to the rate', () => {
    const file = path.join(dir, 'percent.json');
    writeFileSync(file, JSON.stringify([{ ...agreement('studio-nord'), terms: { share: { rate: '55%' } } }], null, 2));
    const run = runCli(['settle', '--agreements', file, ...stripe, ...rules, '--period', '2026-03', '--json']);
    expect(run.status).toBe(1);
    // Pretty-printed with two spaces: [ / { / agreementId ... partnerJurisdiction, settlementCurrency (lines 3-9), "terms": { (10), "share": { (11), "rate" (12).
    expect(run.json<ErrorJson>().error).toMatchObject({ code: 'agreement_shape', file, line: 12, column: '$[0].terms.share.rate' });
  });

  it('a JSON syntax error gives line and column', () => {
    const file = path.join(dir, 'syntax.json');
    writeFileSync(file, '[\n  {\n    "agreementId": "A",\n  }\n]\n');
    const run = runCli(['settle', '--agreements', file, ...stripe, '--period', '2026-03', '--json']);
    expect(run.status).toBe(1);
    // The comma on line 3 promises another property; line 4 column 3 closes the object instead.
    expect(run.json<ErrorJson>().error).toMatchObject({ code: 'json_invalid', file, line: 4, column: 3 });
  });

  it.each([
    ['--rules', '{"rules": [{"id": "x", "when": [{"op": "nope"}]}]}', 'rules_invalid'],
    ['--profile', '{"name": "x", "delimiter": ","}', 'profile_invalid'],
    ['--state', '{"studio-nord": {"x": 1}}', 'state_invalid'],
  ])('a bad %s file is refused with its file named', (option, content, code) => {
    const file = path.join(dir, `bad${option}.json`);
    writeFileSync(file, content);
    const run = runCli(['settle', ...agreements, ...stripe, option, file, '--period', '2026-03', '--json']);
    expect(run.status).toBe(1);
    expect(run.json<ErrorJson>().error).toMatchObject({ code, file, message: expect.stringContaining(file) });
  });
});

