import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINES_PER_PAYOUT, writeReconcileFiles, type ReconcileFiles } from '../../bench/reconcile-files.ts';
import { runCli, type CliRun } from './run-cli.ts';

/**
 * reconcile's machine output on a generated mid-size input (the bench's files at 300 payouts:
 * 300 bank lines, 3,000 Stripe rows, 3,000 ledger CSV rows): the streamed --json document is one
 * valid, complete document; --ndjson says the same, one record a line; the text table is capped.
 */
interface Group {
  leg: string;
  id: string;
  leftIds: string[];
  rightIds: string[];
  difference: string;
  currency: string;
}
interface Report {
  groups: Group[];
  unmatched: { internal: string[] | null; psp: string[] | null; pspUnsettled: string[]; bank: string[] };
  pending: { pspNotPaidOut: string[]; pspInTransit: string[] };
  payouts: { payoutIds: string[] }[];
  summary: Record<string, number | null>;
}

const PAYOUTS = 300;

describe('settledesk reconcile output at mid size', () => {
  let dir: string;
  let input: ReconcileFiles;
  let args: string[];
  let json: CliRun;
  let report: Report;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'settledesk-reconcile-output-'));
    input = writeReconcileFiles(dir, PAYOUTS, 7);
    args = ['reconcile', '--bank', input.bankDir, '--psp', input.pspFile, '--ledger', input.ledgerFile];
    json = runCli([...args, '--json']);
    report = json.json<Report>();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json is one complete document: every ledger row and bank line is in exactly one group or unmatched', () => {
    expect(json.stderr).toBe('');
    expect(json.status).toBe(1);
    // 300 payouts x 10 ledger rows = 3,000 ledger ids; one bank line per payout = 300 bank ids.
    const ledgerIds = [...report.groups.filter((g) => g.leg !== 'psp-bank').flatMap((g) => g.leftIds), ...(report.unmatched.internal ?? [])];
    expect(ledgerIds.length).toBe(PAYOUTS * LINES_PER_PAYOUT);
    expect(new Set(ledgerIds).size).toBe(3000);
    const bankIds = [...report.groups.filter((g) => g.leg !== 'internal-psp').flatMap((g) => g.rightIds), ...report.unmatched.bank];
    expect(new Set(bankIds).size).toBe(300);
    expect(bankIds.length).toBe(300);
    expect(report.payouts.length).toBe(300);
    expect(report.summary).toMatchObject({ groups: report.groups.length, pspPayouts: 300, unmatchedBank: input.bankLines - input.payoutCredits });
  });

  it('--ndjson gives the same groups and summary, one JSON record per line, summary last', () => {
    const run = runCli([...args, '--ndjson']);
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    const records = lines.map((line) => JSON.parse(line) as { record: string } & Record<string, unknown>);
    const groups = records.filter((r) => r.record === 'group');
    expect(groups.length).toBe(report.groups.length);
    expect(groups.map(({ record: _record, ...group }) => group)).toEqual(report.groups);
    expect(records.filter((r) => r.record === 'unmatched' && r.side === 'bank').map((r) => r.id)).toEqual(report.unmatched.bank);
    expect(records.filter((r) => r.record === 'payout').length).toBe(300);
    const { record, rules: _rules, ...summary } = records.at(-1) as Record<string, unknown>;
    expect(record).toBe('summary');
    expect(summary).toEqual(report.summary);
  });

  it('text caps the differing groups at 50 rows and names how many more there are, per leg and currency', () => {
    const run = runCli(args);
    expect(run.status).toBe(1);
    const differing = report.groups.filter((g) => !/^-?0(\.0+)?$/.test(g.difference));
    expect(differing.length).toBeGreaterThan(50);
    const table = run.stdout.split('Groups whose amounts differ:\n')[1]?.split('\n... and ')[0] ?? '';
    // Header, rule line, then 50 rows.
    expect(table.trimEnd().split('\n').length).toBe(52);
    const rest = differing.slice(50);
    expect(run.stdout).toContain(`... and ${rest.length} more groups whose amounts differ (`);
    expect(run.stdout).toContain('--json or --ndjson lists every one');
  });
});
