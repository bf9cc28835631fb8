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
});
