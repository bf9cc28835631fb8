import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isControlCharacter } from '../../core/export/control-chars.ts';
import { runCli } from './run-cli.ts';

/** Human output shows terminal control characters from files (names, cells, ids) as escapes, never raw. */
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-output-escaping-'));
const ESC_CLEAR = '\u001b[2J\u001b[H';
const profile = path.join(dir, 'profile.json');
writeFileSync(profile, JSON.stringify({ name: 'shop', delimiter: ',', date: { format: 'YYYY-MM-DD' }, sign: { convention: 'signed', column: 'amount' }, currency: { column: 'currency' }, kind: { column: 'type', values: { sale: 'sale' } }, columns: { date: 'date', partner: 'partner' }, id: { policy: 'reference', column: 'ref' } }));
const file = path.join(dir, `shop${ESC_CLEAR}\r\u202e.csv`);
writeFileSync(file, `ref,date,type,amount,currency,partner\nr1,2026-03-10,sale,10.00,EUR,"studio${ESC_CLEAR}\u202e"\nr2,2026-03-11,sale,"1${ESC_CLEAR}0",EUR,studio-a\n`);

const rawControls = (text: string): string[] => [...text].filter((char) => char !== '\n' && isControlCharacter(char.charCodeAt(0)));

describe('human output escapes control characters from file content', () => {
  it('import: the file name, a partner id and a rejected cell are shown escaped', () => {
    const run = runCli(['import', file, '--profile', profile]);
    expect(run.status).toBe(1);
    expect(rawControls(run.stdout + run.stderr)).toEqual([]);
    expect(run.stdout).toContain('shop\\u001b[2J\\u001b[H\\u000d\\u202e.csv');
    expect(run.stdout).toContain('studio\\u001b[2J\\u001b[H\\u202e');
  });

  it('--json keeps the exact text, escaped by JSON itself', () => {
    const run = runCli(['import', file, '--profile', profile, '--json']);
    expect(run.json<{ files: { file: string }[] }>().files[0]?.file).toBe(file);
  });

  it('settle: a line break inside a partner id or a rejected cell cannot forge a line of its own', () => {
    const folder = mkdtempSync(path.join(dir, 'settle-'));
    const forged = '\nSettlement 2026-03-01..2026-03-31: 0 statements, 0 exceptions';
    const partner = `studio-b${forged}`;
    writeFileSync(path.join(folder, 'agreements.json'), JSON.stringify([{ agreementId: 'A', partnerId: 'studio-a', version: 1, effectiveFrom: '2026-01-01', effectiveTo: null, partnerJurisdiction: 'NL', settlementCurrency: 'EUR', terms: { share: { rate: '50' } } }]));
    writeFileSync(path.join(folder, 'shop.csv'), `ref,date,type,amount,currency,partner\nr1,2026-03-10,sale,10.00,EUR,studio-a\nr2,2026-03-11,sale,5.00,EUR,"${partner}"\nr3,2026-03-12,sale,"7${forged}",EUR,studio-a\n`);
    const run = runCli(['settle', '--agreements', path.join(folder, 'agreements.json'), '--transactions', path.join(folder, 'shop.csv'), '--profile', profile, '--period', '2026-03']);
    expect(run.status).toBe(1);
    // The one true summary line, and the forged text only inside the escaped REJECTED and UNSETTLED lines.
    expect(run.stdout.split('\n').filter((line) => line.startsWith('Settlement '))).toEqual(['Settlement 2026-03-01..2026-03-31: 1 statements, 0 exceptions']);
    // Line 5: the quoted partner cell of line 3 spans two lines.
    expect(run.stdout).toMatch(/^REJECTED .*shop\.csv:5:amount: amount_not_decimal: .*Settlement/m);
    expect(run.stdout).toContain('UNSETTLED no agreement for studio-b\\u000aSettlement 2026-03-01..2026-03-31: 0 statements, 0 exceptions: 1 transactions, 5.00 EUR');
  });
});

