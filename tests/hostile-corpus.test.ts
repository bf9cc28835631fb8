import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { writeHostileCorpus, type HostileCase } from '../scripts/hostile-corpus.ts';
import { runCli } from './cli/run-cli.ts';

interface FileReport {
  file: string;
  error?: { code: string; message: string };
  rowsRead: number;
  entriesRead: number;
  imported: number;
  duplicates: number;
  rejected: { line: number; code: string }[];
  conflicts: unknown[];
  issues: { code: string }[];
  balances: { currency: string; sum: string }[];
}

const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-hostile-'));
const corpus = writeHostileCorpus(dir);
const cases = [...corpus.cases, ...corpus.mutated];
// One run per folder, as a user would point the tool at a month of files.
const runs = ['cases', 'mutated'].map((folder) => runCli(['import', path.join(dir, folder), '--accept-unbalanced', '--json']));
const reports = new Map(runs.flatMap((run) => (JSON.parse(run.stdout) as { files: FileReport[] }).files.map((report) => [path.basename(report.file), report] as const)));

function sums(report: FileReport): Record<string, string> {
  const byCurrency = new Map<string, Decimal>();
  for (const balance of report.balances) byCurrency.set(balance.currency, (byCurrency.get(balance.currency) ?? new Decimal(0)).plus(balance.sum));
  return Object.fromEntries([...byCurrency].map(([currency, sum]) => [currency, sum.toFixed(2)]));
}

describe('the hostile corpus: every file ends as an exact import or a typed refusal', () => {
  it('has every file in the report, and no defect of ours (internal) on any', () => {
    expect(runs.map((run) => run.stderr)).toEqual(['', '']);
    expect([...reports.keys()].sort()).toEqual(cases.map((each) => each.name).sort());
    expect([...reports.values()].filter((report) => report.error?.code === 'internal').map((report) => `${report.file}: ${report.error?.message}`)).toEqual([]);
  });

  it('prints no raw terminal control character from file content in human output', () => {
    const human = runCli(['import', path.join(dir, 'cases'), '--accept-unbalanced']);
    expect(human.stdout).toContain('mt940-escape-in-amount.sta');
    // ESC, BEL, NUL and the other C0 controls but tab and line feed; DEL and the C1 controls.
    const controls = [...human.stdout].filter((char) => {
      const code = char.charCodeAt(0);
      return (code < 0x20 && char !== '\t' && char !== '\n') || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
  });

  it.each(cases.map((each) => [each.name, each] as const))('%s', (name, each: HostileCase) => {
    const report = reports.get(name);
    expect(report, each.why).toBeDefined();
    if (report === undefined) return;
    const expectation = each.expect;
    if ('refused' in expectation) {
      expect(report.error?.code, `${each.why}: ${report.error?.message ?? 'imported'}`).toBeOneOf([...expectation.refused]);
      return;
    }
    if (report.error !== undefined) {
      expect('any' in expectation, `${each.why}: refused ${report.error.code}: ${report.error.message}`).toBe(true);
      expect(report.error.code).toMatch(/^[a-z][a-z0-9_]+$/);
      return;
    }
    // The row account: read = imported + rejected + duplicates + conflicts.
    expect(report.imported + report.rejected.length + report.duplicates + report.conflicts.length).toBe(report.entriesRead);
    if ('any' in expectation) return;
    expect(report.entriesRead, each.why).toBe(expectation.rows);
    if (expectation.imported !== undefined) expect(report.imported, `${each.why}: imported`).toBe(expectation.imported);
    if (expectation.rejected !== undefined) expect(report.rejected.length, `${each.why}: rejected ${JSON.stringify(report.rejected)}`).toBe(expectation.rejected);
    if (expectation.conflicts !== undefined) expect(report.conflicts.length, `${each.why}: conflicts`).toBe(expectation.conflicts);
    if (expectation.sums !== undefined) expect(sums(report), `${each.why}: imported sums`).toEqual(expectation.sums);
    if (expectation.issue !== undefined) expect(report.issues.map((issue) => issue.code)).toContain(expectation.issue);
  });
});
