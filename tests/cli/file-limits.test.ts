import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.ts';

/**
 * Every file the CLI reads is a regular file under a size limit, checked before a byte is read:
 * /dev/zero, a FIFO and a sparse file bigger than the limit are refused with a typed error naming
 * the file, and a folder holding a broken link, a link loop or a too-deeply nested JSON report
 * reports those files one by one beside the good ones.
 */
const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'settle');
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-file-limits-'));
const fifo = path.join(dir, 'rules.fifo');
execFileSync('mkfifo', [fifo]);
// Sparse: truncate allocates no blocks, so no GB is ever written.
const bigInput = path.join(dir, 'big.sta');
writeFileSync(bigInput, '');
truncateSync(bigInput, 1900 * 1024 ** 2);
const bigOption = path.join(dir, 'big.json');
writeFileSync(bigOption, '');
truncateSync(bigOption, 65 * 1024 ** 2);

const settle = (overrides: readonly string[]) => [
  'settle',
  '--agreements', path.join(FIXTURE, 'agreements.json'),
  '--transactions', path.join(FIXTURE, 'stripe-march.csv'),
  '--rules', path.join(FIXTURE, 'rules.json'),
  '--fx-rates', path.join(FIXTURE, 'ecb-rates.csv'),
  '--period', '2026-03',
  ...overrides,
  '--json',
];

interface ErrorJson {
  error: { code: string; file?: string; line?: number; column?: number; message: string };
}

describe('option files must be regular files under the size limit', () => {
  it.each([
    ['--profile', '/dev/zero', 'file_not_regular'],
    ['--rules', fifo, 'file_not_regular'],
    ['--agreements', bigOption, 'file_too_large'],
    ['--fx-rates', bigOption, 'file_too_large'],
    ['--state', '/dev/zero', 'file_not_regular'],
    ['--state', fifo, 'file_not_regular'],
  ])('settle %s %s is refused as %s, at once', (option, file, code) => {
    const started = Date.now();
    const run = runCli(settle([option, file]));
    expect(run.status).toBe(1);
    expect(run.json<ErrorJson>().error).toMatchObject({ code, file });
    // Refused before reading: no 16 GB from /dev/zero, no wait on the FIFO (a busy machine still starts node in far less).
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('import --profile /dev/zero is refused the same way', () => {
    const run = runCli(['import', path.join(FIXTURE, 'stripe-march.csv'), '--profile', '/dev/zero', '--json']);
    expect(run.status).toBe(1);
    expect(run.json<ErrorJson>().error).toMatchObject({ code: 'file_not_regular', file: '/dev/zero' });
  });
});

describe('input files are checked before they are read', () => {
  it('a sparse 1.9 GB statement is refused as too large without reading it', () => {
    const run = runCli(['import', bigInput, '--json']);
    expect(run.status).toBe(1);
    expect(run.json<{ files: { file: string; error?: { code: string } }[] }>().files).toEqual([{ file: bigInput, error: expect.objectContaining({ code: 'file_too_large', file: bigInput }) }]);
  });

  it('settle names a too-large transaction file', () => {
    const run = runCli(settle(['--transactions', bigInput]));
    expect(run.status).toBe(1);
    expect(run.json<ErrorJson>().error).toMatchObject({ code: 'file_too_large', file: bigInput });
  });
});

describe('a folder with broken entries reports each file on its own', () => {
  const folder = path.join(dir, 'mixed');
  mkdirSync(folder);
  copyFileSync(path.join(FIXTURE, 'stripe-march.csv'), path.join(folder, 'a-good.csv'));
  symlinkSync(path.join(folder, 'nowhere.csv'), path.join(folder, 'b-broken.csv'));
  symlinkSync(path.join(folder, 'c-loop.csv'), path.join(folder, 'c-loop.csv'));
  const depth = 100_000;
  const report = { format: 'settledesk.partner-report/1', partner: 'p', period: { start: '2026-03-01', end: '2026-03-31' }, currency: 'EUR', lines: [] };
  writeFileSync(path.join(folder, 'd-deep.json'), JSON.stringify(report).replace('"lines":[]', `"lines":[${'['.repeat(depth)}${']'.repeat(depth)}]`));
  execFileSync('mkfifo', [path.join(folder, 'e-pipe.csv')]);

  it('import gives a typed error per bad file and the good file its full report', () => {
    const run = runCli(['import', folder, '--json']);
    expect(run.status).toBe(1);
    const files = run.json<{ files: { file: string; imported?: number; error?: { code: string; line?: number } }[] }>().files;
    // The good file: 10 Stripe rows, 7 of them with a fee as an entry of its own: 17 transactions.
    expect(files.map((file) => [path.basename(file.file), file.error?.code ?? file.imported])).toEqual([
      ['a-good.csv', 17],
      ['b-broken.csv', 'file_missing'],
      ['c-loop.csv', 'file_unreadable'],
      ['d-deep.json', 'json_too_deep'],
      ['e-pipe.csv', 'file_not_regular'],
    ]);
    expect(files[3]?.error?.line).toBe(1);
  });

  it('settle refuses the run with the first bad file named, not an internal error', () => {
    const run = runCli(settle(['--transactions', folder]));
    expect(run.status).toBe(1);
    expect(run.json<ErrorJson>().error).toMatchObject({ code: 'file_missing', file: path.join(folder, 'b-broken.csv') });
  });
});
