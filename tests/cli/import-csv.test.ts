import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.ts';

const FIXTURES = path.join(REPO_ROOT, 'core', 'importers', 'fixtures', 'csv');
const profile = path.join(FIXTURES, 'bank-de-windows1252.profile.json');

interface Report {
  format: string;
  rowsRead: number;
  imported: number;
  duplicates: number;
  rejected: { line: number; column: string; code: string }[];
  error?: { code: string };
}

describe('settledesk import of CSV files', () => {
  it('streams a Windows-1252 bank export through its profile, accounting for every row', () => {
    const run = runCli(['import', path.join(FIXTURES, 'bank-de-windows1252.csv'), '--profile', profile, '--json']);
    expect(run.status).toBe(1);
    const [report] = run.json<{ files: Report[] }>().files;
    expect(report).toMatchObject({ format: 'csv', rowsRead: 6, imported: 4, duplicates: 0 });
    expect(report?.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [9, 'Buchungstag', 'date_invalid'],
      [11, 'Soll', 'amount_sign_ambiguous'],
    ]);
  });

  it('refuses the same export read as UTF-8 with the line of the first bad byte', () => {
    const run = runCli(['import', path.join(FIXTURES, 'bank-de-windows1252.csv'), '--profile', profile, '--encoding', 'utf-8', '--json']);
    expect(run.status).toBe(1);
    expect(run.json<{ files: Report[] }>().files[0]?.error).toMatchObject({ code: 'file_encoding_invalid', line: 1 });
  });

  it('detects PSP reports by their header and splits fees from gross', () => {
    const run = runCli(['import', path.join(FIXTURES, 'stripe-balance-transactions.csv'), '--json']);
    const [report] = run.json<{ files: (Report & { entriesRead: number })[] }>().files;
    expect(report?.format).toBe('stripe');
    expect(report?.rowsRead).toBe(9);
    expect(report?.entriesRead).toBe(13);
    expect((report?.imported ?? 0) + (report?.rejected.length ?? 0) + (report?.duplicates ?? 0)).toBe(13);
  });

  it('raises each rejected row as an exception a human will see, with a stable id', () => {
    const file = path.join(FIXTURES, 'stripe-balance-transactions.csv');
    type WithExceptions = Report & { exceptions: { id: string; type: string; sourceRefs: { line: number }[] }[] };
    const [first] = runCli(['import', file, '--json']).json<{ files: WithExceptions[] }>().files;
    const [again] = runCli(['import', file, '--json']).json<{ files: WithExceptions[] }>().files;
    const rejected = first?.exceptions.filter((exception) => exception.type === 'import_rejected') ?? [];
    expect(rejected.map((exception) => exception.sourceRefs[0]?.line)).toEqual([8, 10]);
    expect(again?.exceptions.map((exception) => exception.id)).toEqual(first?.exceptions.map((exception) => exception.id));
  });

  it('asks for a profile when a generic CSV has none', () => {
    const run = runCli(['import', path.join(FIXTURES, 'orders-us-utf8-bom.csv'), '--json']);
    expect(run.status).toBe(1);
    expect(run.json<{ files: Report[] }>().files[0]?.error?.code).toBe('profile_missing');
  });
});
