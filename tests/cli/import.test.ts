import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { describeRealWorld, REAL_WORLD_DIR } from '../../core/importers/real-world-manifest.test-support.ts';
import { REPO_ROOT, runCli } from './run-cli.ts';

interface ManifestAccount {
  account: string;
  currency: string;
  opening_balance: string | null;
  closing_balance: string | null;
  entry_count: number;
  sum_credits: string;
  sum_debits: string;
}
interface ManifestFile {
  path: string;
  format: string;
  expected: {
    entry_count: number;
    accounts: ManifestAccount[];
    statements?: { balances_reconcile: boolean | null }[];
    account_records?: { balances_reconcile: boolean | null }[];
  };
}
interface StatementJson {
  account: string;
  currency: string;
  opening: string | null;
  closing: string | null;
  credits: string;
  debits: string;
  entries: number;
}
interface ImportJson {
  files: { file: string; format: string; rowsRead: number; imported: number; duplicates: number; rejected: unknown[]; statements: StatementJson[]; error?: { code: string; file?: string; line?: number } }[];
  ok: boolean;
}

const REAL_WORLD = REAL_WORLD_DIR ?? '';
const manifest = (REAL_WORLD_DIR === null ? { files: [] } : JSON.parse(readFileSync(path.join(REAL_WORLD, 'MANIFEST.json'), 'utf8'))) as { files: ManifestFile[] };
const FIXTURES = path.join(REPO_ROOT, 'core', 'importers', 'fixtures');
const same = (actual: string | null, expected: string | null) => (expected === null ? actual === null : actual !== null && new Decimal(actual).equals(expected));

describeRealWorld('settledesk import on the real-world files', () => {
  it.each(manifest.files.map((file) => [file.path, file] as const))('%s yields the MANIFEST facts', (_name, file) => {
    // Anonymised samples often do not balance: accepted here explicitly, checked on their own below.
    const run = runCli(['import', path.join(REAL_WORLD, file.path), '--accept-unbalanced', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = run.json<ImportJson>().files[0];
    expect(report?.format).toBe(file.format);
    expect(report?.rejected).toEqual([]);
    expect(report?.rowsRead).toBe(file.expected.entry_count);
    expect(report?.statements.reduce((sum, s) => sum + s.entries, 0)).toBe(file.expected.entry_count);
    for (const account of file.expected.accounts) {
      const sections = report?.statements.filter((s) => s.account === account.account && s.currency === account.currency) ?? [];
      expect(sections.length, `${account.account} ${account.currency}`).toBeGreaterThan(0);
      const credits = sections.reduce((sum, s) => sum.plus(s.credits), new Decimal(0));
      const debits = sections.reduce((sum, s) => sum.plus(s.debits), new Decimal(0));
      expect(credits.equals(account.sum_credits)).toBe(true);
      expect(debits.equals(account.sum_debits)).toBe(true);
      expect(sections.reduce((sum, s) => sum + s.entries, 0)).toBe(account.entry_count);
      expect(same(sections.find((s) => s.opening !== null)?.opening ?? null, account.opening_balance)).toBe(true);
      expect(same(sections.findLast((s) => s.closing !== null)?.closing ?? null, account.closing_balance)).toBe(true);
    }
  });

  it.each(manifest.files.map((file) => [file.path, file] as const))('%s exits 1 without --accept-unbalanced exactly when the MANIFEST says a statement does not reconcile', (_name, file) => {
    const sections = [...(file.expected.statements ?? []), ...(file.expected.account_records ?? [])];
    const unbalanced = sections.some((section) => section.balances_reconcile === false);
    const run = runCli(['import', path.join(REAL_WORLD, file.path), '--json']);
    expect(run.status).toBe(unbalanced ? 1 : 0);
    expect(run.json<ImportJson>().ok).toBe(!unbalanced);
  });

  it('counts an overlapping second import of the same file as duplicates, not new rows', () => {
    const file = path.join(REAL_WORLD, 'mt940', 'knab-two-statements.sta');
    const run = runCli(['import', file, file, '--json']);
    const [first, second] = run.json<ImportJson>().files;
    expect(first?.imported).toBe(3);
    expect(second?.imported).toBe(0);
    expect(second?.duplicates).toBe(3);
  });

  it('prints aligned human output by default', () => {
    const run = runCli(['import', path.join(REAL_WORLD, 'bai2', 'svb-usd-two-groups.bai2'), '--accept-unbalanced']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/rows read 2, imported 2, duplicates 0, conflicts 0, rejected 0/);
    expect(run.stdout).toMatch(/1234567890\s+USD/);
  });
});

describe('settledesk import refuses bad input with the right code', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-cli-'));

  it('an unknown option is a usage error (exit 2)', () => {
    const run = runCli(['import', 'x', '--frobnicate', '--json']);
    expect(run.status).toBe(2);
    expect(run.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'usage' });
    expect(run.json<{ error: { message: string } }>().error.message).toContain('--frobnicate');
  });

  it('an unknown command and a missing argument are usage errors', () => {
    expect(runCli(['frobnicate']).status).toBe(2);
    expect(runCli(['import', '--json']).status).toBe(2);
  });

  it('a missing file exits 1 naming the file', () => {
    const run = runCli(['import', path.join(dir, 'nope.sta'), '--json']);
    expect(run.status).toBe(1);
    expect(run.json<ImportJson>().files[0]?.error).toMatchObject({ code: 'file_missing', file: path.join(dir, 'nope.sta') });
  });

  it('a truncated XML file exits 1 with xml_malformed', () => {
    const text = readFileSync(path.join(FIXTURES, 'camt', 'camt053-v08-totals-reversal.xml'), 'utf8');
    const truncated = path.join(dir, 'truncated.xml');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    const run = runCli(['import', truncated, '--json']);
    expect(run.status).toBe(1);
    expect(run.json<ImportJson>().files[0]?.error?.code).toBe('xml_malformed');
  });

  it('a file in the wrong format for --format exits 1 with file_format_mismatch', () => {
    const run = runCli(['import', path.join(FIXTURES, 'ofx', 'ofx-v200-creditcard.ofx'), '--format', 'mt940', '--json']);
    expect(run.status).toBe(1);
    expect(run.json<ImportJson>().files[0]?.error?.code).toBe('file_format_mismatch');
  });

  it('an MT940 narrative that is not UTF-8 is read in the best single-byte fit, with a warning naming its line', () => {
    const latin1 = path.join(dir, 'latin1.sta');
    // Line 6 is the first :86:, now "Café …" in Latin-1 (0xE9 is not UTF-8 on its own).
    const text = readFileSync(path.join(FIXTURES, 'mt940', 'bad-date.sta'), 'latin1').replace(':86:', ':86:Caf\u00e9 ');
    writeFileSync(latin1, Buffer.from(text, 'latin1'));
    const run = runCli(['import', latin1, '--json']);
    const report = run.json<ImportJson & { files: { issues: { code: string; line: number | null }[] }[] }>().files[0];
    expect(report?.error).toBeUndefined();
    expect(report?.issues).toContainEqual(expect.objectContaining({ code: 'encoding_replaced', line: 6 }));
    // The fixture's bad date is still rejected, so the run is not ok: 2 imported + 1 rejected.
    expect(report?.imported).toBe(2);
    expect(run.status).toBe(1);
  });

  it('bytes that are not valid UTF-8 under an explicit --encoding utf-8 exit 1 with file_encoding_invalid and the line', () => {
    const latin1 = path.join(dir, 'latin1-named.sta');
    const text = readFileSync(path.join(FIXTURES, 'mt940', 'bad-date.sta'), 'latin1').replace(':86:', ':86:Caf\u00e9 ');
    writeFileSync(latin1, Buffer.from(text, 'latin1'));
    const run = runCli(['import', latin1, '--encoding', 'utf-8', '--json']);
    expect(run.status).toBe(1);
    expect(run.json<ImportJson>().files[0]?.error).toMatchObject({ code: 'file_encoding_invalid', line: 6 });
  });

  it('a hostile XML file (entity expansion) exits 1 with xml_doctype_refused', () => {
    const bomb = path.join(dir, 'bomb.xml');
    writeFileSync(bomb, '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>');
    const run = runCli(['import', bomb, '--json']);
    expect(run.status).toBe(1);
    expect(run.json<ImportJson>().files[0]?.error?.code).toBe('xml_doctype_refused');
  });

  it('--help lists every option with an example', () => {
    const run = runCli(['import', '--help']);
    expect(run.status).toBe(0);
    for (const option of ['--format', '--profile', '--encoding', '--workspace', '--pseudonymize', '--json']) expect(run.stdout).toContain(option);
    expect(run.stdout).toContain('Examples:');
  });
});
