import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../core/sync/audit-chain.ts';
import type { AuditEventDoc } from '../../core/sync/documents.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-audit-'));

/** A desk's chain of three events and the server's of two, as an export holds them. */
function chains(): AuditEventDoc[] {
  const events: AuditEventDoc[] = [];
  let desk: AuditEventDoc | null = null;
  for (const [index, action] of ['import', 'exception.resolve', 'statement.submit'].entries()) {
    desk = appendAuditEvent(desk, { id: `desk-a.${index}`, chainId: 'desk-a', at: `2026-03-0${index + 1}T09:00:00Z`, actor: 'ana', action, subject: { kind: 'statement', id: 'P001-2026-03' }, details: { note: `step ${index}` } });
    events.push(desk);
  }
  let server: AuditEventDoc | null = null;
  for (const [index, action] of ['statement.approve', 'statement.export'].entries()) {
    server = appendAuditEvent(server, { id: `server.${index}`, chainId: 'server', at: `2026-03-05T1${index}:00:00Z`, actor: 'bo', action, subject: { kind: 'statement', id: 'P001-2026-03' }, details: {} });
    events.push(server);
  }
  return events;
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

interface VerifyJson {
  ok: boolean;
  events: number;
  chains: { chainId: string; verdict: { ok: boolean; count?: number; index?: number; code?: string } }[];
}

describe('settledesk verify-audit', () => {
  it('accepts an intact export as a JSON array and as NDJSON, chain by chain', () => {
    const events = chains();
    for (const file of [write('audit.json', JSON.stringify(events)), write('audit.ndjson', events.map((event) => JSON.stringify({ ...event, _deleted: false, _rev: '1-x' })).join('\n'))]) {
      const run = runCli(['verify-audit', file, '--json']);
      expect(run.status).toBe(0);
      const result = run.json<VerifyJson>();
      expect(result.events).toBe(5);
      expect(result.chains.map((chain) => [chain.chainId, chain.verdict.ok, chain.verdict.count])).toEqual([
        ['desk-a', true, 3],
        ['server', true, 2],
      ]);
    }
  });

  it('names the event and the kind of break: a changed field, a removed event', () => {
    const changed = chains();
    changed[1] = { ...(changed[1] as AuditEventDoc), actor: 'mallory' };
    const removed = chains().filter((event) => event.id !== 'desk-a.1');
    const cases: Array<[string, AuditEventDoc[], string, number]> = [
      ['changed.json', changed, 'audit_hash_mismatch', 1],
      ['removed.json', removed, 'audit_seq_gap', 1],
    ];
    for (const [name, events, code, index] of cases) {
      const run = runCli(['verify-audit', write(name, JSON.stringify({ events })), '--json']);
      expect(run.status, name).toBe(1);
      const desk = run.json<VerifyJson>().chains.find((chain) => chain.chainId === 'desk-a');
      expect(desk?.verdict, name).toMatchObject({ ok: false, code, index });
      // The other writer's chain is untouched and still verifies.
      expect(run.json<VerifyJson>().chains.find((chain) => chain.chainId === 'server')?.verdict.ok).toBe(true);
    }
    const human = runCli(['verify-audit', path.join(dir, 'changed.json')]);
    expect(human.stdout).toContain('FAIL chain desk-a: audit_hash_mismatch at event 1');
  });

  it('refuses a file that is no audit export with a typed error', () => {
    const run = runCli(['verify-audit', write('not-audit.json', '{"rows": 3}'), '--json']);
    expect(run.status).toBe(1);
    expect(run.json<{ error: { code: string } }>().error.code).toBe('audit_export_invalid');
  });
});
